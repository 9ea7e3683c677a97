package dev.ratequeue.bench;

/**
 * One limiter under test, as the scenarios drive it: RateQueue or an anchor ({@link Contenders}), opened on one key
 * with one {@link LimitSpec}. Every method may be called from many threads at once, as an application would.
 */
interface Contender extends AutoCloseable {

    /** Waits until one permit is granted, then ends it: a concurrency permit is released at once. */
    void acquire() throws Exception;

    /**
     * The same at a priority (higher goes first). A contender without priorities ignores it and serves its waiters
     * in its own order: see {@link #hasPriorities()}.
     */
    default void acquire(int priority) throws Exception {
        acquire();
    }

    /** One permit now or {@code false}, never waiting for one (a permit granted here is ended at once too). */
    boolean tryAcquire() throws Exception;

    /** Whether {@link #acquire(int)} honours the priority. */
    default boolean hasPriorities() {
        return false;
    }

    /** Whether a permit came from somewhere other than the shared store (RateQueue's in-JVM fallback). */
    default long fallbackGrants() {
        return 0;
    }

    @Override
    void close();
}
