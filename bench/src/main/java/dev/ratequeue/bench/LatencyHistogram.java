package dev.ratequeue.bench;

import java.util.Locale;

/**
 * Counts of nanosecond latencies in log-linear buckets (32 per power of two, so a reported value is within about
 * 3% of the true one). Not thread-safe: one per thread, {@link #add merged} at the end. Small enough to print on
 * one line, which is how worker JVMs hand theirs to the harness.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = 64 * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    /** The latency at quantile {@code q} (0.5 for the median), in nanoseconds; 0 when empty. */
    long percentileNanos(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, middle(i));
            }
        }
        return max;
    }

    /** {@code max=<ns> <index>:<count> ...}: only the non-empty buckets. */
    String encode() {
        StringBuilder s = new StringBuilder("max=").append(max);
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] != 0) {
                s.append(' ').append(i).append(':').append(counts[i]);
            }
        }
        return s.toString();
    }

    static LatencyHistogram decode(String encoded) {
        LatencyHistogram h = new LatencyHistogram();
        for (String token : encoded.trim().split("\\s+")) {
            if (token.startsWith("max=")) {
                h.max = Long.parseLong(token.substring(4));
            } else if (!token.isEmpty()) {
                int colon = token.indexOf(':');
                long n = Long.parseLong(token.substring(colon + 1));
                h.counts[Integer.parseInt(token.substring(0, colon))] += n;
                h.total += n;
            }
        }
        return h;
    }

    String describeMicros() {
        return String.format(Locale.ROOT, "p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs",
                percentileNanos(0.50) / 1e3, percentileNanos(0.99) / 1e3, percentileNanos(0.999) / 1e3, max / 1e3);
    }

    private static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) ((v >> (exponent - SUB_BITS)) & (SUB - 1));
        return (exponent - SUB_BITS + 1) * SUB + sub;
    }

    private static long middle(int index) {
        if (index < SUB) {
            return index;
        }
        int exponent = index / SUB + SUB_BITS - 1;
        long sub = index % SUB;
        long lower = (SUB + sub) << (exponent - SUB_BITS);
        long width = 1L << (exponent - SUB_BITS);
        return lower + width / 2;
    }
}
