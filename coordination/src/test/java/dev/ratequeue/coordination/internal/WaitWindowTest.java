package dev.ratequeue.coordination.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.coordination.WaitTimes;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WaitWindowTest {
  private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(5));
  private final WaitWindow window = new WaitWindow(now::get);

  private void record(long millis, int times) {
    for (int i = 0; i < times; i++) {
      window.record(TimeUnit.MILLISECONDS.toNanos(millis));
    }
  }

  private void advanceSeconds(long s) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(s));
  }

  @Test
  void percentilesAndMaxWithinOnePercent() {
    for (int ms = 1; ms <= 1000; ms++) {
      record(ms, 1);
    }
    WaitTimes w = window.read();
    assertThat(w.windowCount()).isEqualTo(1000);
    assertThat(w.p50Micros()).isBetween(495_000L, 505_000L);
    assertThat(w.p99Micros()).isBetween(980_000L, 1_000_000L);
    assertThat(w.p999Micros()).isBetween(989_000L, 1_010_000L);
    assertThat(w.maxMicros()).isBetween(990_000L, 1_010_000L);
    assertThat(w.totalCount()).isEqualTo(1000);
    assertThat(w.totalMicros()).isEqualTo(500_500_000L);
  }

  @Test
  void oldWaitsLeaveTheWindowButStayInTheTotals() {
    record(900, 10);
    window.read();
    advanceSeconds(30);
    record(10, 10);
    assertThat(window.read().maxMicros()).as("both within the last minute").isGreaterThan(800_000);
    advanceSeconds(45); // the 900 ms waits are 75 s old, the 10 ms ones 45 s
    WaitTimes w = window.read();
    assertThat(w.windowCount()).isEqualTo(10);
    assertThat(w.maxMicros()).isBetween(9_900L, 10_100L);
    assertThat(w.totalCount()).isEqualTo(20);
    advanceSeconds(120);
    WaitTimes idle = window.read();
    assertThat(idle.windowCount()).isZero();
    assertThat(idle.p99Micros()).isZero();
    assertThat(idle.maxMicros()).isZero();
  }

  @Test
  void readersDoNotTakeValuesFromEachOther() {
    record(5, 3);
    assertThat(window.read().windowCount()).isEqualTo(3);
    record(5, 2);
    assertThat(window.read().windowCount()).isEqualTo(5);
    assertThat(window.read().windowCount()).isEqualTo(5);
  }
}
