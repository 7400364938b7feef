package dev.gatehouse.server;

import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The health check's probe of the store. */
final class StoreProbe {

    private static final Logger LOG = LoggerFactory.getLogger(GatehouseServer.class);
    /** What the health check reads: nothing is ever written there, so the read is a round trip and nothing more. */
    private static final String TABLE = "gatehouse_health";

    private static final Key KEY = Key.of("probe", "probe");

    private StoreProbe() {}

    /** Whether the store answers a read; a failure is logged, never shown. */
    static boolean answers(ItemStore items) {
        try {
            items.get(TABLE, KEY);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Health check: the store did not answer: {}", e.toString());
            return false;
        }
    }
}
