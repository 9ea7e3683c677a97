package dev.ratequeue.testing.openai;

import java.util.function.LongSupplier;

/**
 * A requests limit and a tokens limit as buckets that hold a window's worth and refill continuously, at the limit
 * per window: how OpenAI and Anthropic describe theirs. A request is admitted when both buckets hold what it is
 * charged (one request, its tokens), which is then taken out. The buckets start full, so an idle client may spend a
 * whole window's worth at once. The reset a response reports is the time until both are full again.
 */
public final class RefillingBucketLimit extends WindowedLimit {
    /** What the buckets lack of full at {@link #lastNanos}: taken out and not yet refilled. */
    private double requestsTaken;
    private double tokensTaken;
    private long lastNanos;

    public RefillingBucketLimit(int requestLimit, long tokenLimit, long windowNanos) {
        this(requestLimit, tokenLimit, windowNanos, System::nanoTime);
    }

    /** With a clock of its own, so a test can move time rather than wait for it. */
    RefillingBucketLimit(int requestLimit, long tokenLimit, long windowNanos, LongSupplier clock) {
        super(requestLimit, tokenLimit, windowNanos, clock);
        this.lastNanos = clock.getAsLong();
    }

    @Override
    public synchronized Decision admit(long tokens) {
        long now = clock.getAsLong();
        int requests = requestLimit();
        long tokenCap = tokenLimit();
        long elapsed = now - lastNanos;
        lastNanos = now;
        requestsTaken = Math.max(0, requestsTaken - (double) requests * elapsed / windowNanos);
        tokensTaken = Math.max(0, tokensTaken - (double) tokenCap * elapsed / windowNanos);
        int requestsBefore = (int) Math.ceil(requestsTaken);
        long tokensBefore = (long) Math.ceil(tokensTaken);

        Refusal refusal = null;
        long untilRoom = 0;
        if (tokenCap > 0 && tokens > tokenCap) {
            refusal = Refusal.TOO_LARGE;
            untilRoom = -1;
        } else if (requests > 0 && requestsTaken + 1 > requests) {
            refusal = Refusal.REQUESTS;
            untilRoom = refillNanos(requestsTaken + 1 - requests, requests);
        } else if (tokenCap > 0 && tokensTaken + tokens > tokenCap) {
            refusal = Refusal.TOKENS;
            untilRoom = refillNanos(tokensTaken + tokens - tokenCap, tokenCap);
        }
        if (refusal == null) {
            requestsTaken += requests > 0 ? 1 : 0;
            tokensTaken += tokenCap > 0 ? tokens : 0;
        }
        return new Decision(now, refusal, requests, tokenCap,
                requests == 0 ? 0 : (int) Math.max(0, Math.floor(requests - requestsTaken)),
                tokenCap == 0 ? 0 : (long) Math.max(0, Math.floor(tokenCap - tokensTaken)),
                refillNanos(requestsTaken, requests), refillNanos(tokensTaken, tokenCap), untilRoom, requestsBefore,
                tokensBefore);
    }

    /** How long {@code units} take to refill at {@code limit} per window. */
    private long refillNanos(double units, long limit) {
        return limit == 0 ? 0 : (long) Math.ceil(units * windowNanos / limit);
    }
}
