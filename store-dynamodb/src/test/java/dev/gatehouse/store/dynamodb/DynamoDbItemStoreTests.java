package dev.gatehouse.store.dynamodb;

import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.ItemStoreContract;
import dev.gatehouse.store.MutableClock;
import java.util.concurrent.atomic.AtomicInteger;

/** The port's contract on moto's DynamoDB API (see {@link Moto}); each test gets a DynamoDB table of its own. */
class DynamoDbItemStoreTests extends ItemStoreContract {

    private static final AtomicInteger TABLES = new AtomicInteger();

    @Override
    protected ItemStore newStore(MutableClock clock) {
        return DynamoDbItemStore.open(Moto.client(), "contract-" + TABLES.incrementAndGet(), clock, false);
    }
}
