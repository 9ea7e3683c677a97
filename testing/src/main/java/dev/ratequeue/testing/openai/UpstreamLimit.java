package dev.ratequeue.testing.openai;

/**
 * A requests limit and a tokens limit as an upstream keeps them: {@link SlidingWindowLimit}, a log of what arrived
 * within the last window, or {@link RefillingBucketLimit}, buckets that refill continuously as OpenAI's and
 * Anthropic's do. A limit of 0 is no limit.
 */
public interface UpstreamLimit {
    /** Why a request was refused. */
    enum Refusal {
        /** The requests in the window are at the limit. */
        REQUESTS,
        /** Its charge does not fit in the tokens left in the window. */
        TOKENS,
        /** Its charge is more than the whole tokens limit: it will never fit. */
        TOO_LARGE
    }

    /** Admits a request charged {@code tokens} that arrives now, or refuses it; either way, the limit as it is. */
    Decision admit(long tokens);

    /** The window both limits are counted over, or refilled in. */
    long windowNanos();

    int requestLimit();

    long tokenLimit();

    /** Takes effect at the next arrival. */
    void requestLimit(int limit);

    /** Takes effect at the next arrival. */
    void tokenLimit(long limit);

    /** What {@link #admit} decided, and the limit just after. */
    final class Decision {
        /** When the request was admitted or refused ({@link System#nanoTime()}, unless the clock is a test's). */
        public final long nanos;
        /** Null when admitted. */
        public final Refusal refusal;
        /** The limits in force; 0 is none. */
        public final int requestLimit;
        public final long tokenLimit;
        public final int remainingRequests;
        public final long remainingTokens;
        /** Until the limit is whole again: everything admitted has left the window, or the bucket is full. */
        public final long requestsResetNanos;
        public final long tokensResetNanos;
        /** Until a refused request would fit; 0 when admitted, -1 when it never will. */
        public final long untilRoomNanos;
        /** Requests and tokens in the window (taken from the bucket, not yet refilled) before this request. */
        public final int requestsUsedBefore;
        public final long tokensUsedBefore;

        public Decision(long nanos, Refusal refusal, int requestLimit, long tokenLimit, int remainingRequests,
                long remainingTokens, long requestsResetNanos, long tokensResetNanos, long untilRoomNanos,
                int requestsUsedBefore, long tokensUsedBefore) {
            this.nanos = nanos;
            this.refusal = refusal;
            this.requestLimit = requestLimit;
            this.tokenLimit = tokenLimit;
            this.remainingRequests = remainingRequests;
            this.remainingTokens = remainingTokens;
            this.requestsResetNanos = requestsResetNanos;
            this.tokensResetNanos = tokensResetNanos;
            this.untilRoomNanos = untilRoomNanos;
            this.requestsUsedBefore = requestsUsedBefore;
            this.tokensUsedBefore = tokensUsedBefore;
        }

        public boolean admitted() {
            return refusal == null;
        }
    }
}
