package dev.ratequeue.testing.openai;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * A requests limit and a tokens limit over one sliding window: a log of every admitted request's arrival and charge.
 * A request is admitted when, with it, neither the requests nor the tokens that arrived within the last window go
 * over their limit. A limit of 0 is no limit.
 *
 * <p>An entry leaves the window once {@code window} has passed since it arrived, exactly: what a client waiting for
 * the reset this reports finds is room, not a refusal by a nanosecond.
 */
public final class SlidingWindowLimit extends WindowedLimit {

    private static final class Entry {
        final long nanos;
        final long tokens;

        Entry(long nanos, long tokens) {
            this.nanos = nanos;
            this.tokens = tokens;
        }
    }

    private final ArrayDeque<Entry> log = new ArrayDeque<>();
    private long tokensInWindow;

    public SlidingWindowLimit(int requestLimit, long tokenLimit, long windowNanos) {
        this(requestLimit, tokenLimit, windowNanos, System::nanoTime);
    }

    /** With a clock of its own, so a test can move time rather than wait for it. */
    SlidingWindowLimit(int requestLimit, long tokenLimit, long windowNanos, LongSupplier clock) {
        super(requestLimit, tokenLimit, windowNanos, clock);
    }

    /** Admits a request charged {@code tokens} that arrives now, or refuses it; either way, the window as it is. */
    @Override
    public synchronized Decision admit(long tokens) {
        long now = clock.getAsLong();
        while (!log.isEmpty() && now - log.peekFirst().nanos >= windowNanos) {
            tokensInWindow -= log.pollFirst().tokens;
        }
        int requests = requestLimit();
        long tokenCap = tokenLimit();
        Refusal refusal = null;
        if (tokenCap > 0 && tokens > tokenCap) {
            refusal = Refusal.TOO_LARGE;
        } else if (requests > 0 && log.size() + 1 > requests) {
            refusal = Refusal.REQUESTS;
        } else if (tokenCap > 0 && tokensInWindow + tokens > tokenCap) {
            refusal = Refusal.TOKENS;
        }
        long untilRoom = refusal == null ? 0 : refusal == Refusal.TOO_LARGE ? -1 : untilRoom(now, tokens, requests,
                tokenCap);
        int requestsBefore = log.size();
        long tokensBefore = tokensInWindow;
        if (refusal == null) {
            log.addLast(new Entry(now, tokens));
            tokensInWindow += tokens;
        }
        return new Decision(now, refusal, requests, tokenCap, requests == 0 ? 0 : Math.max(0, requests - log.size()),
                tokenCap == 0 ? 0 : Math.max(0, tokenCap - tokensInWindow), untilEmpty(now, false),
                untilEmpty(now, true), untilRoom, requestsBefore, tokensBefore);
    }

    /** How long until the oldest entries have left and a request charged {@code tokens} fits. */
    private long untilRoom(long now, long tokens, int requests, long tokenCap) {
        int left = log.size();
        long tokensLeft = tokensInWindow;
        Iterator<Entry> oldestFirst = log.iterator();
        long lastLeft = now - windowNanos;
        while ((requests > 0 && left + 1 > requests) || (tokenCap > 0 && tokensLeft + tokens > tokenCap)) {
            Entry e = oldestFirst.next();
            left--;
            tokensLeft -= e.tokens;
            lastLeft = e.nanos;
        }
        return lastLeft + windowNanos - now;
    }

    /** How long until nothing (or no token) admitted so far is in the window any more: the full reset. */
    private long untilEmpty(long now, boolean tokensOnly) {
        for (Iterator<Entry> newestFirst = log.descendingIterator(); newestFirst.hasNext(); ) {
            Entry e = newestFirst.next();
            if (!tokensOnly || e.tokens > 0) {
                return e.nanos + windowNanos - now;
            }
        }
        return 0;
    }
}
