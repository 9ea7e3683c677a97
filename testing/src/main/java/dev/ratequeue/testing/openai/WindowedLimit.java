package dev.ratequeue.testing.openai;

import java.util.function.LongSupplier;

/**
 * What both upstream limits keep alike: a requests limit and a tokens limit per window (0 is none), changeable while
 * the server runs, and the clock they read. Subclasses decide how a window is counted.
 */
abstract class WindowedLimit implements UpstreamLimit {
    protected final long windowNanos;
    protected final LongSupplier clock;
    private volatile int requestLimit;
    private volatile long tokenLimit;

    WindowedLimit(int requestLimit, long tokenLimit, long windowNanos, LongSupplier clock) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("The window must be longer than 0, not " + windowNanos + " ns");
        }
        this.windowNanos = windowNanos;
        this.clock = clock;
        requestLimit(requestLimit);
        tokenLimit(tokenLimit);
    }

    @Override
    public final long windowNanos() {
        return windowNanos;
    }

    @Override
    public final int requestLimit() {
        return requestLimit;
    }

    @Override
    public final long tokenLimit() {
        return tokenLimit;
    }

    /** Takes effect at the next arrival; what was admitted before stays counted. */
    @Override
    public final void requestLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("A requests limit is 0 (none) or more, not " + limit);
        }
        requestLimit = limit;
    }

    /** Takes effect at the next arrival; what was admitted before stays counted. */
    @Override
    public final void tokenLimit(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("A tokens limit is 0 (none) or more, not " + limit);
        }
        tokenLimit = limit;
    }
}
