package dev.ratequeue.agent.gate;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The {@code Retry-After} header (RFC 9110 §10.2.3): a number of seconds, or an HTTP date. Some
 * servers send fractional seconds ({@code 1.5}); those are honoured rather than refused.
 */
final class RetryAfter {
  private RetryAfter() {}

  /** OpenAI's {@code retry-after-ms}: milliseconds, more precise than Retry-After; {@code null} when unreadable. */
  static Duration parseMillis(String value) {
    if (value == null) {
      return null;
    }
    try {
      double millis = Double.parseDouble(value.trim());
      if (Double.isNaN(millis) || Double.isInfinite(millis) || millis < 0) {
        return null;
      }
      return Duration.ofNanos((long) Math.ceil(Math.min(millis, 1e12) * 1e6));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The wait the header asks for, never negative; {@code null} when absent or unreadable. */
  static Duration parse(String value, Instant now) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (v.isEmpty()) {
      return null;
    }
    char first = v.charAt(0);
    if (first >= '0' && first <= '9') {
      try {
        double seconds = Double.parseDouble(v);
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds < 0) {
          return null;
        }
        return Duration.ofMillis((long) Math.ceil(Math.min(seconds, 1e9) * 1000));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
