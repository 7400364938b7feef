package dev.gatehouse.store;

class InMemoryItemStoreTests extends ItemStoreContract {

    @Override
    protected ItemStore newStore(MutableClock clock) {
        return new InMemoryItemStore(clock);
    }
}
