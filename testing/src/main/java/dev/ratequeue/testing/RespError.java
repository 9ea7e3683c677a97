package dev.ratequeue.testing;

import java.util.Objects;

/**
 * An error reply ({@code -NOAUTH Authentication required.}). Returned as a value rather than thrown, because
 * tests assert on refusals as often as on successes.
 */
public final class RespError {

    private final String message;

    RespError(String message) {
        this.message = Objects.requireNonNull(message, "message");
    }

    /** The whole error line without the leading {@code -}, e.g. {@code NOAUTH Authentication required.} */
    public String message() {
        return message;
    }

    /** The first word of the message, e.g. {@code NOAUTH}, {@code WRONGPASS} or {@code ERR}. */
    public String code() {
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RespError && ((RespError) other).message.equals(message);
    }

    @Override
    public int hashCode() {
        return message.hashCode();
    }

    @Override
    public String toString() {
        return "-" + message;
    }
}
