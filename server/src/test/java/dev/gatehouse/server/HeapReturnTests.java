package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Switching the heap free ratios at run time, in this JVM (restored after each test). */
class HeapReturnTests {

    private final HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    private String min = "";
    private String max = "";

    @BeforeEach
    void remember() {
        min = hotSpot.getVMOption("MinHeapFreeRatio").getValue();
        max = hotSpot.getVMOption("MaxHeapFreeRatio").getValue();
    }

    @AfterEach
    void restore() {
        hotSpot.setVMOption("MaxHeapFreeRatio", "100");
        hotSpot.setVMOption("MinHeapFreeRatio", min);
        hotSpot.setVMOption("MaxHeapFreeRatio", max);
    }

    @Test
    void setRatiosWhenLoweringThenRaisingThenBothTakenInAnOrderTheJvmAccepts() {
        HeapReturn.setRatios(hotSpot, HeapReturn.WORKING);
        assertThat(ratios()).isEqualTo(HeapReturn.WORKING);

        // 40/70 to 10/30: the maximum first would be refused (30 below the minimum of 40)
        HeapReturn.setRatios(hotSpot, HeapReturn.RETURNING);
        assertThat(ratios()).isEqualTo(HeapReturn.RETURNING);

        // and back: the minimum first would be refused (40 above the maximum of 30)
        HeapReturn.setRatios(hotSpot, HeapReturn.WORKING);
        assertThat(ratios()).isEqualTo(HeapReturn.WORKING);
    }

    private HeapReturn.Ratios ratios() {
        return new HeapReturn.Ratios(
                Integer.parseInt(hotSpot.getVMOption("MinHeapFreeRatio").getValue()),
                Integer.parseInt(hotSpot.getVMOption("MaxHeapFreeRatio").getValue()));
    }
}
