package dev.ratequeue.it;

import dev.ratequeue.coordination.CoordinatorUnavailableException;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceSnapshot;
import java.time.Duration;
import java.util.function.Predicate;

/** Waiting on what the coordinator says about a resource. */
final class Snapshots {
  private Snapshots() {}

  /**
   * The first snapshot that satisfies {@code condition}, polled every 50 ms. While the coordinator is unreachable
   * (a cold JVM whose first connection is not made yet, Redis restarting) snapshots fail; that counts as "not yet".
   *
   * @throws AssertionError with the last snapshot (or failure) when none matched within {@code timeout}
   */
  static ResourceSnapshot await(ResourceLimiter limiter, Predicate<ResourceSnapshot> condition, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    ResourceSnapshot last = null;
    RuntimeException failure = null;
    while (true) {
      try {
        last = limiter.snapshot();
        failure = null;
        if (condition.test(last)) {
          return last;
        }
      } catch (CoordinatorUnavailableException e) {
        failure = e;
      }
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("No snapshot of '" + limiter.resource() + "' matched within " + timeout.toMillis()
            + " ms; last: " + (failure != null ? failure : last), failure);
      }
      sleep(50);
    }
  }

  /** Waits until the limiter is on its coordinator (a snapshot succeeds), for at most a minute. */
  static ResourceSnapshot ready(ResourceLimiter limiter) {
    return await(limiter, s -> true, Duration.ofSeconds(60));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
