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
 * The LLM headline: four worker JVMs on the OpenAI Java SDK (blocking, async, streamed) overload an upstream that
 * limits tokens and requests per window as OpenAI does, charging each request its prompt and its
 * {@code max_completion_tokens} when it arrives. The agent weighs each call the same way before it goes (the
 * prompt through the model's own tokenizer), so the fleet keeps under the tokens limit without a single 429 while
 * using at least 90% of it.
 *
 * <p>The resource is set 5% under the upstream's limits: the limiter spaces grants by Redis' clock, the upstream
 * counts them as they arrive, a few milliseconds later and not all equally late. A 5 s window makes those
 * milliseconds a small share of what it counts.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class OpenAiTokenLimitTest {
  private static final Duration WINDOW = Duration.ofSeconds(5);
  private static final long TOKEN_LIMIT = 6_000;
  private static final int REQUEST_LIMIT = 80;
  private static final long RUN_MILLIS = 20_000;
  /** Every JVM's first calls; the first window is judged like the others, but not the first second's start. */
  private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void fourSdkWorkersUseTheTokensLimitWithoutA429() {
    try (OpenAiUpstream upstream = OpenAiUpstream.builder().tokenLimit(TOKEN_LIMIT).requestLimit(REQUEST_LIMIT)
        .window(WINDOW).charge(OpenAiUpstream.ChargeMode.ESTIMATE).start()) {
      OpenAiFleet.Run run = OpenAiFleet.run(upstream, AgentWorkers.settings(
          "coordinator", redis.uri(),
          "namespace", "it-openai-tokens-" + System.nanoTime(),
          "resources.openai.match", upstream.hostAndPort(),
          "resources.openai.load", (TOKEN_LIMIT * 95 / 100) + "/5s",
          "resources.openai.requests", (REQUEST_LIMIT * 95 / 100) + "/5s"), RUN_MILLIS);

      double tokensPerSecond = run.tokensPerSecondAfter(SETTLE_NANOS);
      double limitPerSecond = TOKEN_LIMIT / (double) WINDOW.getSeconds();
      System.out.printf(Locale.ROOT, "OpenAI SDK fleet: %.0f tokens/s charged (upstream limit %.0f/s, %.1f%%), "
          + "%d requests, busiest window %d tokens (limit %d), 429s %d; %s%n", tokensPerSecond, limitPerSecond,
          100 * tokensPerSecond / limitPerSecond, run.arrivals.size(),
          OpenAiUpstream.maxInAnyWindow(run.arrivals, WINDOW, a -> a.accepted() ? a.chargedTokens : 0), TOKEN_LIMIT,
          run.count(429), run);

      assertThat(run.count(429)).as("429s the upstream answered; %s", run).isZero();
      for (WorkerResult r : run.workers) {
        assertThat(r.failed + r.denied + r.other).as("calls that did not succeed or came without usage: %s", r)
            .isZero();
        assertThat(r.ok).as("calls of %s", r.name).isPositive();
      }
      assertThat(run.arrivals.stream().filter(a -> a.streamed).count()).as("streamed completions").isPositive();
      assertThat(tokensPerSecond).as("tokens per second the upstream charged (limit %.0f/s)", limitPerSecond)
          .isGreaterThanOrEqualTo(0.90 * limitPerSecond);
    }
  }
}
