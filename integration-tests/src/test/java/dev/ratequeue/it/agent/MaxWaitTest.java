package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A call that cannot be granted within max-wait fails at once, on every path, with the exception HTTP callers
 * already handle: a {@code PermitDeniedException} (an {@code InterruptedIOException}) whose message names the
 * resource, the limit and the wait. One call in ten seconds is allowed; the calls after the first would wait
 * seconds longer than the one second they may, so none of them reaches the upstream.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MaxWaitTest {
  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientPath.class)
  void aCallThatWouldWaitTooLongFailsAtOnceNamingResourceLimitAndWait(ClientPath path) {
    try (StrictUpstream upstream = StrictUpstream.builder().start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "resources." + path.resource() + ".match", upstream.hostAndPort(),
            "resources." + path.resource() + ".requests", "1/10s",
            "resources." + path.resource() + ".max-wait", "1s"))) {
      long start = System.nanoTime();
      WorkerJvm w = workers.start(path.name().toLowerCase(), path.lib, workers.agentArgs(), null,
          path.args("url=" + upstream.uri("/ok"), "count=4", "threads=1", "inflight=1"));
      WorkerResult r = AgentWorkers.awaitDone(List.of(w), Duration.ofSeconds(60)).get(0);
      double seconds = (System.nanoTime() - start) / 1e9;

      assertThat(r.ok).as("%s", r).isEqualTo(1);
      assertThat(r.denied).as("%s", r).isEqualTo(3);
      assertThat(upstream.arrivals()).as("requests that reached the upstream").hasSize(1);
      assertThat(r.errors).allSatisfy(line -> assertThat(line)
          .contains("PermitDeniedException")
          .contains("Resource '" + path.resource() + "'")
          .contains("requests = 1/10s")
          .contains("exceeds max-wait 1s"));
      // Refused at once rather than after waiting: well under the 10 s the calls would have waited.
      assertThat(seconds).as("seconds the worker ran, JVM start included").isLessThan(9);
    }
  }
}
