package dev.ratequeue.bench;

/** The harnesses' command-line values, with errors that name the option, the value and what was expected. */
final class Options {
    private Options() {
    }

    /** The value after {@code option} at {@code args[i]}. */
    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** A whole number above 0 that fits an {@code int}. */
    static int positive(String option, String value) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be a positive whole number, was '" + value + "'");
        }
        return (int) n;
    }

    /** A whole number of 0 or more. */
    static long nonNegative(String option, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number ≥ 0, was '" + value + "'");
    }
}
