package dev.ratequeue.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The one limit every contender of a scenario is given, each translated into its own library's terms the way its
 * documentation recommends ({@link Contenders}).
 *
 * @param permits permits per {@code period}
 * @param period the period of {@code permits}
 * @param burst permits a contender that distinguishes a burst may grant at once beyond the smooth rate; 0 asks for
 *     a smooth rate. Token buckets cannot be smooth: they get a capacity of {@code max(burst, permits)}, as their
 *     guides configure them ({@code capacity(n).refillGreedy(n, period)})
 * @param concurrency permits held at once (0: none), for the concurrency contenders
 */
record LimitSpec(long permits, Duration period, long burst, int concurrency) {

    LimitSpec {
        if (permits <= 0 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("limit must be a positive count per positive period, was " + permits
                    + "/" + period);
        }
    }

    /** {@code 100/1s}, {@code 1000000000/1s}: a count and a duration in {@code ms}, {@code s} or {@code m}. */
    static LimitSpec parse(String option, String value) {
        int slash = value.indexOf('/');
        try {
            long count = Long.parseLong(value.substring(0, slash));
            String unit = value.substring(slash + 1).toLowerCase(Locale.ROOT);
            Duration period;
            if (unit.endsWith("ms")) {
                period = Duration.ofMillis(Long.parseLong(unit.substring(0, unit.length() - 2)));
            } else if (unit.endsWith("s")) {
                period = Duration.ofSeconds(Long.parseLong(unit.substring(0, unit.length() - 1)));
            } else if (unit.endsWith("m")) {
                period = Duration.ofMinutes(Long.parseLong(unit.substring(0, unit.length() - 1)));
            } else {
                throw new IllegalArgumentException("unit");
            }
            return new LimitSpec(count, period, 0, 0);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " must look like 100/1s (a count, '/', a duration in ms, s or"
                    + " m), was '" + value + "'");
        }
    }

    LimitSpec withBurst(long b) {
        return new LimitSpec(permits, period, b, concurrency);
    }

    LimitSpec withConcurrency(int c) {
        return new LimitSpec(permits, period, burst, c);
    }

    double perSecond() {
        return permits * 1e9 / period.toNanos();
    }

    @Override
    public String toString() {
        return permits + "/" + period.toMillis() + "ms" + (burst > 0 ? " burst " + burst : "")
                + (concurrency > 0 ? " concurrency " + concurrency : "");
    }
}
