package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.FreePort;
import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a user sees for a mistake in the agent's configuration: one line per problem naming the key, the value
 * and what was expected, all of them at once, and an application that starts and runs (unlimited) anyway.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BadConfigurationTest {

  @Test
  void anUnknownUnitABadNameAndAnUnparsableUrlAreEachNamedAndTheApplicationRuns() {
    try (StrictUpstream upstream = StrictUpstream.builder().start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "coordinator", "redis//localhost:6379",
            "resources.openai.match", upstream.hostAndPort(),
            "resources.openai.requests", "500/mn",
            "resources.OpenAI.requests", "10/s"))) {
      WorkerJvm w = workers.start("bad-config", ClientLib.OKHTTP_4, workers.agentArgs(), null,
          "client=okhttp", "mode=sync", "threads=1", "count=20", "url=" + upstream.uri("/ok"));
      WorkerResult result = AgentWorkers.awaitDone(List.of(w), Duration.ofSeconds(60)).get(0);
      List<String> errors = w.errorLines();

      assertThat(errors).anyMatch(l -> l.contains("Invalid value for 'ratequeue.resources.openai.requests': '500/mn'"));
      assertThat(errors).anyMatch(l -> l.contains("Invalid value for 'ratequeue.coordinator': 'redis//localhost:6379'")
          && l.contains("expected local, or a URL redis://"));
      assertThat(errors).anyMatch(l -> l.contains("'OpenAI'") && l.contains("[a-z0-9]"));
      assertThat(errors).anyMatch(l -> l.contains("is disabled: 3 configuration error(s)"));
      assertThat(errors.stream().filter(l -> l.contains("Exception") || l.startsWith("\tat ")))
          .as("stack traces").isEmpty();
      assertThat(result.ok).as("the application's calls, unlimited").isEqualTo(20);
    }
  }

  @Test
  void aSystemPropertyOverridesTheFileAndIsNamedInItsMessage() {
    try (StrictUpstream upstream = StrictUpstream.builder().start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "resources.api.match", upstream.hostAndPort(),
            "resources.api.concurrency", "5"))) {
      List<String> jvm = new ArrayList<>(workers.agentArgs());
      jvm.add("-Dratequeue.resources.api.concurrency=-3");
      WorkerJvm w = workers.start("bad-property", ClientLib.OKHTTP_4, jvm, null,
          "client=okhttp", "mode=sync", "threads=1", "count=3", "url=" + upstream.uri("/ok"));
      WorkerResult result = AgentWorkers.awaitDone(List.of(w), Duration.ofSeconds(60)).get(0);
      assertThat(w.errorLines()).anyMatch(l -> l.contains("Invalid value for 'ratequeue.resources.api.concurrency': '-3'")
          && l.contains("system property"));
      assertThat(result.ok).isEqualTo(3);
    }
  }

  @Test
  void anApplicationStartingWhileRedisIsDownStartsAndFollowsTheFailurePolicy() {
    int closed = FreePort.find();
    try (StrictUpstream upstream = StrictUpstream.builder().start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "coordinator", "redis://127.0.0.1:" + closed,
            "resources.api.match", upstream.hostAndPort(),
            "resources.api.requests", "5/1s"))) {
      long start = System.nanoTime();
      WorkerJvm w = workers.start("redis-down", ClientLib.OKHTTP_4, workers.agentArgs(), null,
          "client=okhttp", "mode=sync", "threads=2", "count=10", "url=" + upstream.uri("/ok"));
      WorkerResult result = AgentWorkers.awaitDone(List.of(w), Duration.ofSeconds(60)).get(0);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(result.ok).as("calls made while Redis is down: %s", result).isEqualTo(10);
      // on-coordinator-failure = local: this JVM, knowing of no other, limits itself to 5/s.
      List<StrictUpstream.Arrival> a = upstream.arrivals();
      assertThat((a.get(a.size() - 1).nanos - a.get(0).nanos) / 1e9).as("seconds the 10 calls took").isGreaterThan(1.5);
      assertThat(seconds).as("seconds the whole run took (no hang)").isLessThan(45);
      assertThat(w.errorLines().stream().filter(l -> l.contains("unreachable") || l.contains("failed ("))
          .count()).as("outage lines: %s", w.errorLines()).isBetween(1L, 2L);
    }
  }
}
