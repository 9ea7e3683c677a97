package dev.ratequeue.coordination;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the short durations users write in configuration: {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
public final class Durations {
  static final String UNITS = "a number with a unit: ms, s (or sec), m (or min), h";
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([a-z]+)");

  private Durations() {}

  /**
   * Parses {@code value} for setting {@code key}. Accepts {@code 0} alone; otherwise a unit is
   * required, because a bare {@code 500} is as likely to mean milliseconds as seconds.
   */
  public static Duration parse(String key, String value) {
    String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new ConfigurationException(key, value, "a duration: " + UNITS + ", e.g. 500ms or 2m");
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key, value, "a duration whose number fits in 64 bits");
    }
    Duration unit = unit(m.group(2));
    if (unit == null) {
      throw new ConfigurationException(key, value, "a duration unit of ms, s (or sec), m (or min), h");
    }
    return unit.multipliedBy(amount);
  }

  /** The unit named by {@code name}, or null when it is not one we accept. */
  static Duration unit(String name) {
    switch (name) {
      case "ms":
        return Duration.ofMillis(1);
      case "s":
      case "sec":
        return Duration.ofSeconds(1);
      case "m":
      case "min":
        return Duration.ofMinutes(1);
      case "h":
        return Duration.ofHours(1);
      default:
        return null;
    }
  }

  /** The shortest exact form: {@code 1500ms}, {@code 2s}, {@code 1m}; sub-millisecond values as {@code 0.25ms}. */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos % 3_600_000_000_000L == 0 && nanos != 0) {
      return nanos / 3_600_000_000_000L + "h";
    }
    if (nanos % 60_000_000_000L == 0 && nanos != 0) {
      return nanos / 60_000_000_000L + "m";
    }
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    return String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
  }
}
