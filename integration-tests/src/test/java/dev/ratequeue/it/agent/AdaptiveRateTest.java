package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.OpenAiUpstream;
import dev.ratequeue.testing.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A limit nobody disclosed: the upstream allows {@value #UPSTREAM_PER_SECOND} requests per second (counted over a
 * sliding 5 s) and says nothing, no rate-limit header, no Retry-After; a 429 is all the fleet learns. The resource
 * starts from a ceiling more than three times too high, {@code adaptive = true}: each 429 cuts the rate every JVM
 * shares, calls that succeed raise it slowly. After the first half of the run the fleet must be within 15% of the
 * upstream's limit, with at most 2% of its requests refused.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AdaptiveRateTest {
  private static final int UPSTREAM_PER_SECOND = 30;
  private static final Duration WINDOW = Duration.ofSeconds(5);
  private static final long RUN_MILLIS = 40_000;
  /** Finding the limit from 100/s takes a few cuts and the window to empty of what they let through. */
  private static final long CONVERGED_NANOS = TimeUnit.SECONDS.toNanos(20);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void theSharedRateSettlesNearAnUndisclosedLimit() {
    try (OpenAiUpstream upstream = OpenAiUpstream.builder()
        .requestLimit(UPSTREAM_PER_SECOND * (int) WINDOW.getSeconds()).window(WINDOW)
        .headers(OpenAiUpstream.HeaderStyle.NONE).start()) {
      OpenAiFleet.Run run = OpenAiFleet.run(upstream, AgentWorkers.settings(
          "coordinator", redis.uri(),
          "namespace", "it-adaptive-" + System.nanoTime(),
          "resources.openai.match", upstream.hostAndPort(),
          "resources.openai.requests", "100/1s",
          "resources.openai.adaptive", "true"), RUN_MILLIS);

      StringBuilder perSecond = new StringBuilder();
      for (long s = 0; s < RUN_MILLIS / 1000; s++) {
        long from = run.startNanos + TimeUnit.SECONDS.toNanos(s);
        long to = from + TimeUnit.SECONDS.toNanos(1);
        List<OpenAiUpstream.Arrival> second = run.arrivals.stream().filter(a -> a.nanos >= from && a.nanos < to)
            .collect(Collectors.toList());
        perSecond.append(String.format(Locale.ROOT, " %d/%d", second.stream().filter(a -> a.status == 200).count(),
            second.stream().filter(a -> a.status == 429).count()));
      }
      List<OpenAiUpstream.Arrival> converged = run.after(CONVERGED_NANOS);
      long refused = converged.stream().filter(a -> a.status == 429).count();
      double accepted = run.acceptedPerSecondAfter(CONVERGED_NANOS);
      double refusedShare = refused / (double) Math.max(1, converged.size());
      System.out.printf(Locale.ROOT, "adaptive: %.1f requests/s accepted after %d s (upstream limit %d/s), %.1f%% "
          + "refused; accepted/refused per second:%s; %s%n", accepted, CONVERGED_NANOS / 1_000_000_000L,
          UPSTREAM_PER_SECOND, 100 * refusedShare, perSecond, run);

      assertThat(accepted).as("requests per second accepted once converged (limit %d/s)", UPSTREAM_PER_SECOND)
          .isBetween(0.85 * UPSTREAM_PER_SECOND, 1.15 * UPSTREAM_PER_SECOND);
      assertThat(refusedShare).as("share of requests refused once converged").isLessThanOrEqualTo(0.02);
      for (WorkerResult r : run.workers) {
        assertThat(r.failed + r.denied).as("calls that failed: %s", r).isZero();
      }
    }
  }
}
