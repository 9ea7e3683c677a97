package dev.ratequeue.coordination;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code count} units per {@code period}, e.g. {@code 500/1m}: the form of both the requests and the load limit. */
public final class Rate {
  private static final Pattern RATE = Pattern.compile("(\\d+)\\s*/\\s*(\\d*)\\s*([a-z]+)");
  private static final String EXPECTED =
      "N/period with N > 0 and a period of a number and a unit (ms, s or sec, m or min, h), e.g. 500/1m or 10/s";

  private final long count;
  private final Duration period;

  private Rate(long count, Duration period) {
    this.count = count;
    this.period = period;
  }

  public static Rate of(long count, Duration period) {
    if (count <= 0) {
      throw new IllegalArgumentException("rate count must be > 0, was " + count);
    }
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("rate period must be > 0, was " + period);
    }
    return new Rate(count, period);
  }

  public static Rate parse(String key, String value) {
    String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    Matcher m = RATE.matcher(text);
    if (!m.matches()) {
      throw new ConfigurationException(key, value, EXPECTED);
    }
    long count;
    long periods;
    try {
      count = Long.parseLong(m.group(1));
      periods = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key, value, EXPECTED);
    }
    Duration unit = Durations.unit(m.group(3));
    if (count == 0 || periods == 0 || unit == null) {
      throw new ConfigurationException(key, value, EXPECTED);
    }
    return new Rate(count, unit.multipliedBy(periods));
  }

  public long count() {
    return count;
  }

  public Duration period() {
    return period;
  }

  /** Time between two units at this rate: the GCRA emission interval, in (fractional) nanoseconds. */
  public double intervalNanos() {
    return (double) period.toNanos() / count;
  }

  /** Units per second, for reports and utilization. */
  public double perSecond() {
    return count * 1e9 / period.toNanos();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rate && ((Rate) o).count == count && ((Rate) o).period.equals(period);
  }

  @Override
  public int hashCode() {
    return Objects.hash(count, period);
  }

  @Override
  public String toString() {
    return count + "/" + Durations.format(period);
  }
}
