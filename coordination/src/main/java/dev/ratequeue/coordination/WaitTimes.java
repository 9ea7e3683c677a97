package dev.ratequeue.coordination;

import java.time.Duration;

/**
 * Percentiles of the time granted calls waited, from enqueue to grant, over a recent window; and
 * the cumulative count and total, which a Prometheus summary or a rate over time needs.
 * Percentiles are within 1% of the true value (two significant digits).
 */
public final class WaitTimes {
  static final WaitTimes EMPTY = new WaitTimes(Duration.ZERO, 0, 0, 0, 0, 0, 0, 0);

  private final Duration window;
  private final long windowCount;
  private final long p50Micros;
  private final long p99Micros;
  private final long p999Micros;
  private final long maxMicros;
  private final long totalCount;
  private final long totalMicros;

  public WaitTimes(Duration window, long windowCount, long p50Micros, long p99Micros, long p999Micros,
      long maxMicros, long totalCount, long totalMicros) {
    this.window = window;
    this.windowCount = windowCount;
    this.p50Micros = p50Micros;
    this.p99Micros = p99Micros;
    this.p999Micros = p999Micros;
    this.maxMicros = maxMicros;
    this.totalCount = totalCount;
    this.totalMicros = totalMicros;
  }

  /** How far back the percentiles reach. */
  public Duration window() {
    return window;
  }

  /** Grants within the window; the percentiles are 0 when there were none. */
  public long windowCount() {
    return windowCount;
  }

  public long p50Micros() {
    return p50Micros;
  }

  public long p99Micros() {
    return p99Micros;
  }

  public long p999Micros() {
    return p999Micros;
  }

  public long maxMicros() {
    return maxMicros;
  }

  /** Every wait recorded since the limiter was created. */
  public long totalCount() {
    return totalCount;
  }

  public long totalMicros() {
    return totalMicros;
  }

  @Override
  public String toString() {
    return "waits over " + Durations.format(window) + ": " + windowCount + ", p50 " + p50Micros + " µs, p99 "
        + p99Micros + " µs, p99.9 " + p999Micros + " µs, max " + maxMicros + " µs";
  }
}
