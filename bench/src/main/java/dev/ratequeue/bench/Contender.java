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

    /**
     * When the calling thread's last permit took effect by the limiter's own clock (Redis' for RateQueue's Redis
     * coordinator), in microseconds since the epoch, or -1 when the limiter does not say. What a limit bounds is the
     * spacing of these times; when the application resumes after them depends on the machine's scheduling.
     */
    default long lastGrantedAtEpochMicros() {
        return -1;
    }

    /** Whether a permit came from somewhere other than the shared store (RateQueue's in-JVM fallback). */
    default long fallbackGrants() {
        return 0;
    }

    @Override
    void close();
}
