package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Priority through the scope facade ({@code RateQueue.priority(10)}), across JVMs: one worker queues a backlog of
 * 30 calls at the default priority; once it waits, a second worker sends 10 calls inside a priority-10 scope.
 * Those go ahead of the backlog that is still waiting: between the first and the last of them, the upstream sees
 * at most {@link #ALLOWED_INTERLEAVED} of the backlog (calls already granted within the lookahead, or in flight).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PriorityScopeTest {
  private static final int LIMIT = 10; // per second
  private static final int BACKLOG = 30;
  private static final int URGENT = 10;
  private static final int ALLOWED_INTERLEAVED = 2;

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientPath.class)
  void callsInAHigherPriorityScopeOvertakeTheBacklogOfOtherJvms(ClientPath path) throws InterruptedException {
    try (StrictUpstream upstream = StrictUpstream.builder().start()) {
      try (AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
          "coordinator", redis.uri(),
          "namespace", "it-priority-" + System.nanoTime(),
          "resources." + path.resource() + ".match", upstream.hostAndPort(),
          "resources." + path.resource() + ".requests", LIMIT + "/1s"))) {
        String warmup = "warmup=" + upstream.uri("/ok?tag=warmup");
        WorkerJvm backlog = workers.startInGroup("backlog", "backlog", path.lib, path.args(
            "url=" + upstream.uri("/ok?tag=backlog"), "count=" + BACKLOG, "threads=" + BACKLOG,
            "inflight=" + BACKLOG, warmup));
        WorkerJvm urgent = workers.startInGroup("urgent", "urgent", path.lib, path.args(
            "url=" + upstream.uri("/ok?tag=urgent"), "count=" + URGENT, "threads=" + URGENT, "inflight=" + URGENT,
            "priority=10", warmup));
        workers.awaitReady();
        workers.go("backlog");
        // At 10/s the backlog takes 3 s: after one, two thirds of it still waits.
        Thread.sleep(1_000);
        workers.go("urgent");
        List<WorkerResult> results = AgentWorkers.awaitDone(List.of(backlog, urgent), Duration.ofSeconds(60));
        for (WorkerResult r : results) {
          assertThat(r.failed + r.denied + r.other + r.refused).as("calls that did not succeed: %s", r).isZero();
        }

        List<String> order = upstream.arrivals().stream().map(a -> a.tag).filter(t -> !"warmup".equals(t))
            .collect(Collectors.toList());
        Arrivals.save("priority-" + path.name().toLowerCase(), upstream.arrivals());
        int first = order.indexOf("urgent");
        int last = order.lastIndexOf("urgent");
        assertThat(first).as("urgent calls reached the upstream").isGreaterThanOrEqualTo(0);
        long interleaved = order.subList(first, last + 1).stream().filter("backlog"::equals).count();
        long backlogAfter = order.subList(last + 1, order.size()).stream().filter("backlog"::equals).count();
        assertThat(interleaved).as("backlog calls between the first and last urgent one: %s", order)
            .isLessThanOrEqualTo(ALLOWED_INTERLEAVED);
        assertThat(backlogAfter).as("backlog calls still waiting when the urgent ones were done: %s", order)
            .isGreaterThanOrEqualTo(5);
        assertThat(Collections.frequency(order, "urgent")).isEqualTo(URGENT);
      }
    }
  }
}
