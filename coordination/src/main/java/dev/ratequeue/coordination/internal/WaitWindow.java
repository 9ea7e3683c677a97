package dev.ratequeue.coordination.internal;

import dev.ratequeue.coordination.WaitTimes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Wait times of the last minute or so, for percentiles that follow what happens now rather than
 * averaging the whole life of the JVM.
 *
 * <p>Writers only touch an HdrHistogram {@link Recorder} (wait-free, two atomic increments). Readers
 * move what it collected into the current one of {@link #SLOTS} slots of {@link #SLOT_NANOS} each
 * and add up the slots still inside the window. A read never loses values to another reader, so
 * JMX, a Prometheus scrape and a Micrometer registry can all read the same window; values in a slot
 * are dated by the read that collected them, so a window may reach back one slot further than
 * {@link #WINDOW}.
 */
final class WaitWindow {
  static final long SLOT_NANOS = TimeUnit.SECONDS.toNanos(10);
  static final int SLOTS = 6;
  static final Duration WINDOW = Duration.ofNanos(SLOT_NANOS * SLOTS);
  /** Two significant digits: 1% error, and histograms of a few kB. */
  private static final int DIGITS = 2;

  private final Recorder recorder = new Recorder(DIGITS);
  private final LongAdder totalCount = new LongAdder();
  private final LongAdder totalMicros = new LongAdder();
  private final LongSupplier nanoTime;
  private final Histogram[] slots = new Histogram[SLOTS];
  private final long[] slotStarts = new long[SLOTS];
  private Histogram recycled;
  private int current;

  WaitWindow(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    long now = nanoTime.getAsLong();
    for (int i = 0; i < SLOTS; i++) {
      slots[i] = new Histogram(DIGITS);
      slotStarts[i] = now - SLOT_NANOS * (SLOTS + 1); // long expired
    }
    slotStarts[0] = now;
  }

  void record(long waitNanos) {
    long micros = Math.max(0, TimeUnit.NANOSECONDS.toMicros(waitNanos));
    recorder.recordValue(micros);
    totalCount.increment();
    totalMicros.add(micros);
  }

  synchronized WaitTimes read() {
    long now = collect();
    Histogram sum = new Histogram(DIGITS);
    for (int i = 0; i < SLOTS; i++) {
      if (now - slotStarts[i] < WINDOW.toNanos()) {
        sum.add(slots[i]);
      }
    }
    long n = sum.getTotalCount();
    return times(sum, n);
  }

  /**
   * The waits of the last slot or two (10 to 20 s), which the fleet's telemetry merges across JVMs: percentiles
   * of a moment, as a dashboard shows them, not of the last minute.
   */
  synchronized Histogram recent() {
    long now = collect();
    Histogram sum = new Histogram(DIGITS);
    int previous = (current + SLOTS - 1) % SLOTS;
    sum.add(slots[current]);
    if (now - slotStarts[previous] < 2 * SLOT_NANOS) {
      sum.add(slots[previous]);
    }
    return sum;
  }

  /** Moves what the recorder holds into the current slot, starting a new slot when it is due; returns now. */
  private long collect() {
    long now = nanoTime.getAsLong();
    if (now - slotStarts[current] >= SLOT_NANOS) {
      current = (current + 1) % SLOTS;
      slots[current].reset();
      slotStarts[current] = now;
    }
    recycled = recorder.getIntervalHistogram(recycled);
    slots[current].add(recycled);
    return now;
  }

  private WaitTimes times(Histogram sum, long n) {
    return new WaitTimes(WINDOW, n, n == 0 ? 0 : sum.getValueAtPercentile(50),
        n == 0 ? 0 : sum.getValueAtPercentile(99), n == 0 ? 0 : sum.getValueAtPercentile(99.9),
        n == 0 ? 0 : sum.getMaxValue(), totalCount.sum(), totalMicros.sum());
  }
}
