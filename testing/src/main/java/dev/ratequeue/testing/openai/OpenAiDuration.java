package dev.ratequeue.testing.openai;

/**
 * Durations as OpenAI writes them in {@code x-ratelimit-reset-*}: Go's {@code time.Duration} format at millisecond
 * resolution, such as {@code 0s}, {@code 20ms}, {@code 1s}, {@code 1.5s}, {@code 6m0s}, {@code 1m30.5s},
 * {@code 1h0m0s}.
 */
public final class OpenAiDuration {

    private OpenAiDuration() {
    }

    /** {@code nanos} rounded up to the millisecond: a client that waits that long finds the room it was told of. */
    public static String format(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("A reset is never in the past: " + nanos + " ns");
        }
        long millis = (nanos + 999_999) / 1_000_000;
        if (millis == 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        StringBuilder out = new StringBuilder();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(millis / 1000 % 60);
        long fraction = millis % 1000;
        if (fraction > 0) {
            String digits = String.format("%03d", fraction);
            out.append('.').append(digits.replaceAll("0+$", ""));
        }
        return out.append('s').toString();
    }
}
