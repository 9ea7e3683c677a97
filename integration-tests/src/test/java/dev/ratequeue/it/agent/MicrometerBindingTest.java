package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application that binds RateQueue's meters to its own Micrometer registry ({@code RateQueueMetrics.bind})
 * sees the agent's counts under the documented names; the same application without the agent binds nothing.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MicrometerBindingTest {
  private static final int CALLS = 30;

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static double meter(WorkerJvm app, String nameAndTags, String statistic) {
    String prefix = "METER " + nameAndTags + " ";
    String line = app.outputLines().stream().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " in " + app.outputLines()));
    for (String part : line.substring(prefix.length()).split(" ")) {
      if (part.startsWith(statistic + "=")) {
        return Double.parseDouble(part.substring(statistic.length() + 1));
      }
    }
    throw new AssertionError("no " + statistic + " in " + line);
  }

  @Test
  void theApplicationsRegistryShowsTheAgentsCounts() {
    try (StrictUpstream upstream = StrictUpstream.builder().requests(10, Duration.ofSeconds(1)).retryAfter("1").start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "coordinator", redis.uri(),
            "namespace", "it-micrometer-" + System.nanoTime(),
            "resources.upstream.match", upstream.hostAndPort(),
            "resources.upstream.requests", "20/1s"))) {
      WorkerJvm app = workers.start("micrometer", ClientLib.MICROMETER, workers.agentArgs(), null,
          "url=" + upstream.uri("/ok"), "count=" + CALLS);
      app.awaitLine(l -> l.startsWith("DONE"), Duration.ofSeconds(120));
      assertThat(app.outputLines()).contains("BOUND 1");
      String r = "{resource=upstream}";
      assertThat(meter(app, "ratequeue.permits.granted" + r, "count")).isEqualTo(upstream.arrivals().size())
          .isEqualTo(CALLS);
      assertThat(meter(app, "ratequeue.upstream.refusals" + r, "count")).isEqualTo(upstream.count(429));
      assertThat(meter(app, "ratequeue.permits.rejected{reason=max-wait,resource=upstream}", "count")).isZero();
      assertThat(meter(app, "ratequeue.permits.in.flight" + r, "value")).isZero();
      assertThat(meter(app, "ratequeue.coordinator.up" + r, "value")).isEqualTo(1);
      assertThat(meter(app, "ratequeue.wait" + r, "count")).isEqualTo(CALLS);
      // 30 calls at 20/s, one after another: each waits for its turn, up to 50 ms (more during a pause).
      assertThat(meter(app, "ratequeue.wait.max" + r, "value")).isPositive();
    }
  }

  @Test
  void withoutTheAgentNothingIsBound() {
    try (StrictUpstream upstream = StrictUpstream.builder().requests(100, Duration.ofSeconds(1)).start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings())) {
      WorkerJvm app = workers.start("micrometer-alone", ClientLib.MICROMETER, Collections.emptyList(), null,
          "url=" + upstream.uri("/ok"), "count=3");
      app.awaitLine(l -> l.startsWith("DONE"), Duration.ofSeconds(60));
      List<String> lines = app.outputLines();
      assertThat(lines).contains("BOUND 0", "DONE ok=3 s429=0");
      assertThat(lines).noneMatch(l -> l.startsWith("METER"));
    }
  }
}
