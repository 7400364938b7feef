package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTests {

    @TempDir
    Path dir;

    @Test
    void acquireWhenFreeThenHoldsAndWritesOwnPid() throws Exception {
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir)) {
            assertThat(Files.readString(dir.resolve(DataDirectoryLock.FILE)).strip())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void acquireWhenHeldThenInUseNamingTheHoldersPid() {
        try (DataDirectoryLock held = DataDirectoryLock.acquire(dir)) {
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dir))
                    .isInstanceOf(DataDirectoryLock.InUseException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void acquireWhenAnotherStageHoldsItsLockThenThisStageStillTakesItsOwn() {
        try (DataDirectoryLock dev = DataDirectoryLock.acquire(dir, "dev");
                DataDirectoryLock prod = DataDirectoryLock.acquire(dir, "prod")) {
            assertThat(dir.resolve("gatehouse.prod.lock")).exists();
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dir, "prod"))
                    .isInstanceOf(DataDirectoryLock.InUseException.class)
                    .hasMessageContaining("for stage prod");
        }
    }

    @Test
    void acquireWhenReleasedThenTakenAgain() {
        DataDirectoryLock.acquire(dir).close();

        try (DataDirectoryLock again = DataDirectoryLock.acquire(dir)) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void startWhenAnotherServerHoldsTheDataDirThenRefusesAndFirstKeepsServing() {
        ServerConfig config = ServerConfig.defaults(dir.resolve("data"))
                .withAwsPort(0)
                .withApiPort(0)
                .withWebPort(0)
                .withWorkers(2, 8);
        GatehouseServer first = new GatehouseServer(config);
        try {
            first.start();
            GatehouseServer second = new GatehouseServer(config);

            assertThatThrownBy(second::start)
                    .isInstanceOf(DataDirectoryLock.InUseException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(first.awsPort()).isPositive();
        } finally {
            first.stop();
        }
    }
}
