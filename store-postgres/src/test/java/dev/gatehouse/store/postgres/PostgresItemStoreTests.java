package dev.gatehouse.store.postgres;

import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.ItemStoreContract;
import dev.gatehouse.store.MutableClock;
import dev.gatehouse.store.testing.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;

/** The port's contract on a real PostgreSQL (see {@link PostgresServer}); each test gets a database of its own. */
class PostgresItemStoreTests extends ItemStoreContract {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected ItemStore newStore(MutableClock clock) {
        String url = PostgresServer.shared().createDatabase("contract_" + DATABASES.incrementAndGet());
        return PostgresItemStore.open(PostgresSettings.of(url, PostgresServer.USER, PostgresServer.PASSWORD), clock);
    }
}
