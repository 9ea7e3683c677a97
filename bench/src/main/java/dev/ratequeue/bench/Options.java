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
}
