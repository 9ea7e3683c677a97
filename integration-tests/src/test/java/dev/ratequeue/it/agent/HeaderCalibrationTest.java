package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.OpenAiUpstream;
import dev.ratequeue.testing.OpenAiUpstream.HeaderStyle;
import dev.ratequeue.testing.RedisServerExtension;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The upstream knows better than the resource: its quota is half of what the resource says (another client
 * spends the same key, or the quota was cut). Its quotas are buckets that refill continuously, as OpenAI's and
 * Anthropic's are, and start full: the fleet spends the first bucketful at its own pace, then has to find the
 * upstream's. An upstream that only says Retry-After on its 429s leaves the fleet to find out by being refused,
 * again and again; one that says in every response how much is left (OpenAI's, Anthropic's or the IETF's headers)
 * lets every worker wait for the room the next calls need, and the 429s stop, while the fleet still gets what
 * the upstream has to give.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class HeaderCalibrationTest {
  private static final Duration WINDOW = Duration.ofSeconds(5);
  private static final long RUN_MILLIS = 15_000;
  private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long TOKEN_LIMIT = 12_000;
  private static final int REQUEST_LIMIT = 60;

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void tokensLeftInOpenAiHeadersHoldTheFleetBack() {
    // Anthropic's and GitHub's headers take the same path once read (RateLimitHeadersTest reads them all): one
    // fleet run for the tokens quota keeps this test's minutes for the requests quota below.
    assertCalibrated(run(HeaderStyle.OPENAI, false), run(HeaderStyle.RETRY_AFTER_ONLY, false));
  }

  @Test
  void requestsLeftInIetfHeadersHoldTheFleetBack() {
    assertCalibrated(run(HeaderStyle.IETF, true), run(HeaderStyle.RETRY_AFTER_ONLY, true));
  }

  private static void assertCalibrated(Outcome calibrated, Outcome blind) {
    assertThat(blind.refused).as("requests refused with Retry-After only (%s): the scenario overloads the upstream",
        blind).isGreaterThanOrEqualTo(2);
    assertThat(calibrated.refusedShare()).as("share of requests refused, %s", calibrated).isLessThanOrEqualTo(0.01);
    assertThat(2 * calibrated.refused).as("requests refused, %s, against %s", calibrated, blind)
        .isLessThan(blind.refused);
    assertThat(calibrated.used).as("what the upstream gave, %s (at most %.0f/s)", calibrated, calibrated.ceiling)
        .isGreaterThanOrEqualTo(0.80 * calibrated.ceiling);
  }

  /** What one run showed, from the first second on. */
  private static final class Outcome {
    final HeaderStyle style;
    final long requests;
    final long refused;
    /** Tokens (or requests) per second the upstream accepted, and the most it could have. */
    final double used;
    final double ceiling;

    Outcome(HeaderStyle style, long requests, long refused, double used, double ceiling) {
      this.style = style;
      this.requests = requests;
      this.refused = refused;
      this.used = used;
      this.ceiling = ceiling;
    }

    double refusedShare() {
      return refused / (double) Math.max(1, requests);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s headers: %d of %d requests refused (%.1f%%), %.1f/s accepted of at "
          + "most %.1f/s", style, refused, requests, 100 * refusedShare(), used, ceiling);
    }
  }

  /** The fleet against an upstream whose tokens quota (or, {@code requests}, requests quota) is half the resource's. */
  private Outcome run(HeaderStyle style, boolean requests) {
    OpenAiUpstream.Builder b = OpenAiUpstream.builder().window(WINDOW).headers(style).refillingBuckets(true);
    Map<String, String> settings = AgentWorkers.settings(
        "coordinator", redis.uri(),
        "namespace", "it-calibration-" + System.nanoTime());
    long limit = requests ? REQUEST_LIMIT : TOKEN_LIMIT;
    if (requests) {
      b.requestLimit(REQUEST_LIMIT);
      settings.put("resources.openai.requests", (2 * REQUEST_LIMIT) + "/5s");
    } else {
      b.tokenLimit(TOKEN_LIMIT);
      settings.put("resources.openai.load", (2 * TOKEN_LIMIT) + "/5s");
    }
    try (OpenAiUpstream upstream = b.start()) {
      settings.put("resources.openai.match", upstream.hostAndPort());
      OpenAiFleet.Run run = OpenAiFleet.run(upstream, settings, RUN_MILLIS);
      double seconds = (run.endNanos - run.startNanos - SETTLE_NANOS) / 1e9;
      // Whatever the bucket held at the start (at most all of it) and its refill since.
      double ceiling = (limit + limit * seconds / WINDOW.getSeconds()) / seconds;
      Outcome o = new Outcome(style, run.after(SETTLE_NANOS).size(),
          run.after(SETTLE_NANOS).stream().filter(a -> a.status == 429).count(),
          requests ? run.acceptedPerSecondAfter(SETTLE_NANOS) : run.tokensPerSecondAfter(SETTLE_NANOS), ceiling);
      System.out.printf(Locale.ROOT, "%s quota half the resource's: %s; %s%n", requests ? "requests" : "tokens", o,
          run);
      for (WorkerResult r : run.workers) {
        assertThat(r.failed + r.denied).as("calls that failed: %s", r).isZero();
        assertThat(r.ok).as("calls of %s that succeeded", r.name).isPositive();
      }
      return o;
    }
  }
}
