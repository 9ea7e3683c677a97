package dev.ratequeue.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ratequeue.testing.StallMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Checks on the grant times of a run, by the coordinator's clock ({@link Permit#grantedAt()}). */
public final class GrantTimes {
  private GrantTimes() {}

  /**
   * Under overload a smooth limiter must lose (almost) no turn: between the first and the last
   * grant there are at least 98% of the grants one per {@code interval} allows. A gap longer than
   * one interval is forgiven only for the part during which this JVM was not given the CPU (the
   * machine's doing, not the limiter's); when that is over a tenth of the run, the machine was too
   * busy to measure and the check is skipped, saying so. The limit itself is always asserted.
   */
  public static void assertFullyUsed(List<Instant> grants, Duration interval, StallMeter stalls) {
    Duration span = Duration.between(grants.get(0), grants.get(grants.size() - 1));
    Duration forgiven = Duration.ZERO;
    for (int i = 1; i < grants.size(); i++) {
      Duration lost = Duration.between(grants.get(i - 1), grants.get(i)).minus(interval);
      if (!lost.isNegative()) {
        Duration stalled = stalls.stalledWithin(grants.get(i - 1), grants.get(i));
        forgiven = forgiven.plus(lost.compareTo(stalled) < 0 ? lost : stalled);
      }
    }
    assumeTrue(forgiven.compareTo(span.dividedBy(10)) <= 0,
        "the machine was too busy to measure utilization: this JVM stalled " + forgiven.toMillis() + "ms of "
            + span.toMillis() + "ms");
    double turns = (double) span.minus(forgiven).toNanos() / interval.toNanos() + 1;
    assertThat(grants.size()).as("grants in %dms (%dms forgiven for stalls)", span.toMillis(), forgiven.toMillis())
        .isGreaterThanOrEqualTo((int) Math.floor(0.98 * turns));
    assertThat(span).isGreaterThan(Duration.ofMillis(2000));
  }

  /** The largest number of instants within any half-open window [t, t + window). */
  public static int maxInAnyWindow(List<Instant> sorted, Duration window) {
    int max = 0;
    int from = 0;
    for (int to = 0; to < sorted.size(); to++) {
      while (!sorted.get(from).plus(window).isAfter(sorted.get(to))) {
        from++;
      }
      max = Math.max(max, to - from + 1);
    }
    return max;
  }
}
