package dev.ratequeue.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceSnapshot;
import dev.ratequeue.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * One queue across processes: three worker JVMs fill a backlog of calls at three priorities while the resource
 * is paused; once it resumes, the grants (ordered by the coordinator's clock) must come strictly by priority,
 * higher number first, and first come first served within each JVM's priority.
 */
class PriorityOrderTest {
  private static final int LIMIT = 50; // per second
  private static final int CALLS_PER_WORKER = 30;
  private static final long PERIOD_MICROS = 1_000_000 / LIMIT;

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aBacklogFromSeveralJvmsIsGrantedHighestPriorityFirstAndFifoWithinAPriority() {
    String namespace = Names.namespace("priority");
    ResourceLimits limits = ResourceLimits.builder("backlog").requests(LIMIT, Duration.ofSeconds(1))
        .maxWait(Duration.ofMinutes(2)).build();
    // name -> priority: the low one starts first, so arrival order alone would put it first.
    Map<String, Integer> workers = new LinkedHashMap<>();
    workers.put("low-A", 1);
    workers.put("high-B", 10);
    workers.put("medium-C", 5);

    try (Coordinator coordinator = Coordinator.create(redis.uri(),
            CoordinatorOptions.builder().namespace(namespace).build());
        Fleet fleet = new Fleet()) {
      ResourceLimiter limiter = coordinator.limiter(limits);
      Snapshots.ready(limiter);
      // Long enough to outlast any worker start-up on a busy machine; resume() ends it early.
      limiter.pause(Duration.ofSeconds(90));

      WorkerArgs args = WorkerArgs.of(redis.uri(), namespace, "backlog").set("requests", LIMIT + "/1000")
          .set("maxWaitMillis", 120_000).set("mode", "async").set("count", CALLS_PER_WORKER);
      workers.forEach((name, priority) -> fleet.start(name, args.copy().set("priority", priority), false));
      fleet.awaitReady();

      // The whole backlog is in Redis' queue before anything may go.
      Map<Integer, Long> expectedDepth = new TreeMap<>();
      workers.values().forEach(p -> expectedDepth.put(p, (long) CALLS_PER_WORKER));
      ResourceSnapshot before = Snapshots.await(limiter,
          s -> new TreeMap<>(s.queueDepthByPriority()).equals(expectedDepth), Duration.ofSeconds(60));
      assertThat(before.paused()).isTrue();
      assertThat(before.inFlight()).isZero();

      limiter.resume();
      // 90 calls at 50/s: 1.8 s, plus slack for a busy machine.
      fleet.awaitDone(Duration.ofSeconds(60));
      fleet.saveOutput("priority");

      List<Grant> grants = new ArrayList<>(fleet.grants());
      grants.sort(Comparator.comparingLong(g -> g.grantedAtMicros));
      assertThat(grants).hasSize(CALLS_PER_WORKER * workers.size());
      String order = grants.stream().map(g -> Integer.toString(g.priority)).collect(Collectors.joining(" "));
      System.out.println("priority: grant order by grantedAt (priorities): " + order);

      // Strict priority: ordered by grantedAt, priorities never go up. So every priority-10 call was granted
      // before any priority-5 call, and those before any priority-1 call: nothing lower went while a higher
      // call was waiting (all were waiting from the start).
      for (int i = 1; i < grants.size(); i++) {
        assertThat(grants.get(i).priority).as("priority of grant %d (%s) after %s", i, grants.get(i), grants.get(i - 1))
            .isLessThanOrEqualTo(grants.get(i - 1).priority);
      }
      // FIFO within a priority: each JVM enqueued its calls one after the other (seq 1, 2, 3...), and they were
      // granted in that order.
      for (String worker : workers.keySet()) {
        List<Long> seqs = grants.stream().filter(g -> g.worker.equals(worker)).map(g -> g.seq)
            .collect(Collectors.toList());
        assertThat(seqs).as("order %s's calls were granted in", worker).isSorted().hasSize(CALLS_PER_WORKER);
      }
      // And the rate held while draining the backlog: grants at least one period apart on Redis' clock
      // (1 us for the rounding of grantedAt to whole microseconds).
      for (int i = 1; i < grants.size(); i++) {
        assertThat(grants.get(i).grantedAtMicros - grants.get(i - 1).grantedAtMicros)
            .as("spacing before grant %d", i).isGreaterThanOrEqualTo(PERIOD_MICROS - 1);
      }
      assertThat(limiter.snapshot().queueDepth()).isZero();
    }
  }
}
