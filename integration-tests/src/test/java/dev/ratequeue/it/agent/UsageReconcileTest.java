package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.OpenAiUpstream;
import dev.ratequeue.testing.RedisServerExtension;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reconciling a call's load with the usage its response reports. The workers allow each completion 200 tokens
 * and get 30; the upstream counts what calls really use. Before a call the agent must reckon with all 200, so
 * without reconciling the fleet spends about half of its tokens; reconciled (the default), each call's
 * unused tokens go back to the limit every JVM shares once its body has been read, the stream's when its last
 * chunk has, and the fleet uses the upstream's tokens limit in full, still without a 429.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UsageReconcileTest {
  private static final Duration WINDOW = Duration.ofSeconds(5);
  private static final long TOKEN_LIMIT = 6_000;
  private static final long RUN_MILLIS = 15_000;
  private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void reconciledUsageLetsTheFleetSpendTheTokensItDidNotUse() {
    double reconciled = run(true);
    double estimated = run(false);
    double limitPerSecond = TOKEN_LIMIT / (double) WINDOW.getSeconds();
    // A call's unused tokens come back when its body has been read; the limit cannot bank what it could not
    // grant meanwhile, so reconciled calls never quite reach the resource's 95%.
    assertThat(reconciled).as("tokens used per second, reconciled (limit %.0f/s)", limitPerSecond)
        .isGreaterThanOrEqualTo(0.80 * limitPerSecond);
    assertThat(estimated).as("tokens used per second when every call keeps its estimate (limit %.0f/s)",
        limitPerSecond).isLessThan(0.60 * limitPerSecond);
    assertThat(reconciled).as("tokens used per second, reconciled against kept estimates")
        .isGreaterThan(1.5 * estimated);
  }

  /** Tokens per second the upstream counted. */
  private double run(boolean reconcile) {
    try (OpenAiUpstream upstream = OpenAiUpstream.builder().tokenLimit(TOKEN_LIMIT).window(WINDOW)
        .charge(OpenAiUpstream.ChargeMode.ACTUAL).completionTokens(30).start()) {
      OpenAiFleet.Run run = OpenAiFleet.run(upstream, AgentWorkers.settings(
          "coordinator", redis.uri(),
          "namespace", "it-reconcile-" + System.nanoTime(),
          "resources.openai.match", upstream.hostAndPort(),
          "resources.openai.load", (TOKEN_LIMIT * 95 / 100) + "/5s",
          "resources.openai.reconcile", Boolean.toString(reconcile)), RUN_MILLIS, "maxTokens=200");
      double tokensPerSecond = run.tokensPerSecondAfter(SETTLE_NANOS);
      System.out.printf(Locale.ROOT, "reconcile=%s: %.0f tokens/s used (upstream limit %d per %s), %d requests, "
          + "429s %d; %s%n", reconcile, tokensPerSecond, TOKEN_LIMIT, WINDOW, run.arrivals.size(), run.count(429), run);
      // The upstream charges a reply's real usage when it is sent; the fleet learns it when the reply ends, and
      // gives the unused reservation back then. Refunds of replies still in flight at a window's edge can let a
      // rare call through early: at most 2% of calls may be refused (the SDK retries them, so none fails). A
      // fleet without reconcile never runs close enough to the limit for that.
      assertThat(run.count(429)).as("429s the upstream answered; %s", run)
          .isLessThanOrEqualTo(Math.max(1, run.arrivals.size() / 50));
      for (WorkerResult r : run.workers) {
        assertThat(r.failed + r.denied + r.other).as("calls that did not succeed or came without usage: %s", r)
            .isZero();
      }
      return tokensPerSecond;
    }
  }
}
