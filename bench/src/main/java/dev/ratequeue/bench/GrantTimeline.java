package dev.ratequeue.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Permits granted per millisecond since a common start, added up over worker JVMs, and what a limit promises about
 * them: the most granted in any window of the limit's period (slid 1 ms at a time), the first period alone, and the
 * count per second.
 */
final class GrantTimeline {

    private final long[] perMs;

    GrantTimeline(int durationMs) {
        perMs = new long[durationMs];
    }

    /** Adds a worker's {@code GRANTS} line: {@code GRANTS <name> <ms>:<count> ...}. */
    void add(String grantsLine) {
        String[] tokens = grantsLine.trim().split("\\s+");
        for (int i = 2; i < tokens.length; i++) {
            int colon = tokens[i].indexOf(':');
            int ms = Integer.parseInt(tokens[i].substring(0, colon));
            perMs[ms] += Long.parseLong(tokens[i].substring(colon + 1));
        }
    }

    long total() {
        return Arrays.stream(perMs).sum();
    }

    /** Granted in {@code [fromMs, fromMs + lengthMs)}, cut at the end of the run. */
    long between(int fromMs, int lengthMs) {
        long n = 0;
        for (int ms = fromMs; ms < Math.min(perMs.length, fromMs + lengthMs); ms++) {
            n += perMs[ms];
        }
        return n;
    }

    /**
     * The window of {@code windowMs} inside the run with the most grants: {start ms, grants}. A run shorter than
     * one window gives the whole run.
     */
    long[] busiestWindow(int windowMs) {
        int w = Math.min(windowMs, perMs.length);
        long in = between(0, w);
        long best = in;
        int bestStart = 0;
        for (int start = 1; start + w <= perMs.length; start++) {
            in += perMs[start + w - 1] - perMs[start - 1];
            if (in > best) {
                best = in;
                bestStart = start;
            }
        }
        return new long[] {bestStart, best};
    }

    /** {@code 198 100 101 ...}: grants in each whole second of the run, a partial last second left out. */
    String perSecond() {
        int seconds = perMs.length / 1000;
        return java.util.stream.IntStream.range(0, seconds).mapToObj(s -> Long.toString(between(s * 1000, 1000)))
                .collect(Collectors.joining(" "));
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.3f s", ms / 1000.0);
    }
}
