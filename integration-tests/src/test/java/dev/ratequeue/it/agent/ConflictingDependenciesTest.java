package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application with its own, older Lettuce (6.1, on Netty 4.1), Jackson (2.9), Byte Buddy (1.10) and OkHttp
 * (4.9), and an SLF4J binding: with the agent, which carries newer versions of all but OkHttp inside it, the
 * application gets its own versions and works, and its OkHttp calls are limited through the same Redis.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ConflictingDependenciesTest {
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void theApplicationKeepsItsOwnVersionsAndIsLimited() {
    try (StrictUpstream upstream = StrictUpstream.builder().start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "coordinator", redis.uri(),
            "namespace", "it-conflicts-" + System.nanoTime(),
            "resources.upstream.match", upstream.hostAndPort(),
            "resources.upstream.requests", "10/1s"))) {
      WorkerJvm w = workers.start("conflicting-app", ClientLib.CONFLICTING_APP, workers.agentArgs(), null,
          "redis=" + redis.uri(), "client=okhttp", "mode=sync", "threads=4", "count=20",
          "url=" + upstream.uri("/ok"));
      WorkerResult result = AgentWorkers.awaitDone(List.of(w), Duration.ofSeconds(60)).get(0);
      List<String> out = w.outputLines();

      assertThat(out).anyMatch(l -> l.startsWith("LETTUCE 6.1.") && l.endsWith(" mine"));
      assertThat(out).anyMatch(l -> l.startsWith("NETTY 4.1."));
      assertThat(out).anyMatch(l -> l.startsWith("JACKSON 2.9.") && l.contains("{\"app\":\"mine\"}"));
      assertThat(out).anyMatch(l -> l.startsWith("BYTEBUDDY byte-buddy-1.10.") && l.endsWith("dev.example.Made"));
      assertThat(result.ok).as("calls: %s", result).isEqualTo(20);
      List<StrictUpstream.Arrival> a = upstream.arrivals();
      assertThat((a.get(a.size() - 1).nanos - a.get(0).nanos) / 1e9).as("seconds 20 calls at 10/s took")
          .isGreaterThan(1.7);
      assertThat(upstream.maxInAnyWindow(Duration.ofSeconds(1))).isLessThanOrEqualTo(11);
      assertThat(w.errorLines()).noneMatch(l -> l.contains("SLF4J") && l.contains("multiple bindings"));
      assertThat(w.errorLines()).noneMatch(l -> l.contains("NoSuchMethodError") || l.contains("LinkageError"));
    }
  }
}
