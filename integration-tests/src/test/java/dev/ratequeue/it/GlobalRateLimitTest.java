package dev.ratequeue.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.WorkerJvm;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * Overload: 4 worker JVMs × 16 threads call {@code acquire} as fast as they can for 10 s against one limit of
 * 100/s (burst 0) held in one real Redis. The limit must hold across all of them in every sliding second, and
 * they must get (nearly) all of it.
 */
class GlobalRateLimitTest {
  private static final int WORKERS = 4;
  private static final int THREADS = 16;
  private static final int LIMIT = 100; // per second
  private static final int BURST = 0;
  private static final long RUN_MILLIS = 10_000;
  private static final long SECOND_MICROS = 1_000_000;
  /** The product's promise under overload (DESIGN.md, "Correct globally"). */
  private static final double MIN_UTILISATION = 0.98;
  /** Beyond this share of the run lost to a busy machine, utilisation is not judged (see below). */
  private static final double MAX_STALLED_FRACTION = 0.10;

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void manyJvmsTogetherNeverExceedTheLimitAndUseAtLeast98PercentOfIt() {
    WorkerArgs args = WorkerArgs.of(redis.uri(), Names.namespace("overload"), "overload")
        .set("requests", LIMIT + "/1000").set("burst", BURST)
        .set("mode", "loop").set("threads", THREADS).set("runMillis", RUN_MILLIS)
        // A worker that has been up a while has its acquire path compiled: warm up on another resource first.
        .set("warmup", 2_000);
    try (Fleet fleet = new Fleet()) {
      for (int i = 1; i <= WORKERS; i++) {
        fleet.start("overload-" + i, args, true);
      }
      fleet.awaitReady();
      fleet.go();
      // 10 s of run, then the calls still queued drain at the limit (at most 64 of them: 0.64 s), then slack.
      fleet.awaitDone(Duration.ofMillis(RUN_MILLIS).plusSeconds(60));
      fleet.saveOutput("overload");
      for (WorkerJvm w : fleet.workers()) {
        assertThat(Fleet.linesStartingWith(w, "HUNG")).as("threads of %s stuck in acquire", w.name()).isEmpty();
        assertThat(Fleet.linesStartingWith(w, "FAILED")).as("failed calls of %s", w.name()).isEmpty();
      }

      List<Grant> grants = fleet.grants();
      long[] granted = grants.stream().mapToLong(g -> g.grantedAtMicros).sorted().toArray();
      long[] returned = grants.stream().mapToLong(g -> g.returnedMicros).sorted().toArray();
      assertThat(granted.length).as("grants").isGreaterThan(LIMIT);

      // 1. The limit, by the clock the coordinator decides with (Redis TIME, as Permit.grantedAt()): no margin
      //    at all. Burst 0 means one grant every 10 ms, so any [t, t + 1 s) holds at most 100.
      Windows.Max byRedisClock = Windows.max(granted, SECOND_MICROS);

      // 2. Utilisation over the interval the fleet was saturated: from the first grant to the last one. 64
      //    threads re-enqueue as soon as they get a permit, and the calls still queued when the run ends are
      //    granted at the limit too, so the queue is never empty in between: a perfect engine grants exactly
      //    one call per 10 ms, i.e. (count - 1) / (last - first) = 100/s, and every gap between two grants
      //    beyond 10 ms is capacity lost.
      //    Each turn is dispatched by the next call to Redis (a re-enqueue, or the wake-up of the JVM that owns
      //    the head of the queue), up to the lookahead (20 ms) ahead; a turn nobody was there to dispatch in
      //    time is lost for good (burst 0: the GCRA restarts from "now"). On a busy 2-core machine the workers
      //    are sometimes not given the CPU at all; each worker's StallMeter reports when it woke up more than
      //    20 ms late. The part of a gap during which some worker was stalled is the machine's, not the
      //    engine's, and is taken out of the interval (never more than the gap's own excess, so this can only
      //    forgive lost turns, never create grants). The 2% allowed on top are the product's promise; they
      //    cover shorter scheduling delays and the round trip that restarts the chain after a stall.
      long first = granted[0];
      long last = granted[granted.length - 1];
      double seconds = (last - first) / 1e6;
      long periodMicros = SECOND_MICROS / LIMIT;
      List<long[]> stalls = fleet.stalls();
      long lateGaps = 0;
      long lostMicros = 0;
      long forgivenMicros = 0;
      long longestGap = 0;
      for (int i = 1; i < granted.length; i++) {
        long gap = granted[i] - granted[i - 1];
        longestGap = Math.max(longestGap, gap);
        if (gap > periodMicros) {
          lostMicros += gap - periodMicros;
          forgivenMicros += Math.min(gap - periodMicros, Windows.coveredMicros(stalls, granted[i - 1], granted[i]));
          if (gap > periodMicros + periodMicros / 10) {
            lateGaps++;
          }
        }
      }
      double utilisation = (granted.length - 1) / (LIMIT * seconds);
      double forgivenSeconds = forgivenMicros / 1e6;
      double utilisationWhileRunning = (granted.length - 1) / (LIMIT * (seconds - forgivenSeconds));

      // 3. Informative: the same windows by the time acquire returned in the workers. Each grant is released
      //    by a timer in its JVM (lookahead) and then by thread scheduling, so a window here can hold a few
      //    more than the limit when one call came out late and the next on time; the upstream would see this.
      Windows.Max byWorkerClock = Windows.max(returned, SECOND_MICROS);
      long[] lag = grants.stream().mapToLong(g -> g.returnedMicros - g.grantedAtMicros).sorted().toArray();

      System.out.printf("overload: %d JVMs x %d threads, limit %d/s burst %d%n", WORKERS, THREADS, LIMIT, BURST);
      for (WorkerJvm w : fleet.workers()) {
        System.out.printf("  %s: %d grants%n", w.name(), grants.stream().filter(g -> g.worker.equals(w.name())).count());
      }
      System.out.printf("  total %d grants over %.3f s (first to last grantedAt): %.2f/s = %.2f%% of the limit%n",
          granted.length, seconds, utilisation * LIMIT, utilisation * 100);
      System.out.printf("  capacity lost in gaps between grants: %d ms (%d gaps over 11 ms, longest %d us), of which"
          + " %d ms while a worker JVM was stalled by the machine; without those: %.2f%% of the limit%n",
          lostMicros / 1000, lateGaps, longestGap, forgivenMicros / 1000, utilisationWhileRunning * 100);
      System.out.printf("  max per sliding 1 s window: by grantedAt (Redis clock) %s; by acquire return (worker"
          + " clock, informative) %s%n", byRedisClock, byWorkerClock);
      System.out.printf("  acquire returned after grantedAt by: median %d us, p99 %d us, max %d us%n",
          lag[lag.length / 2], lag[(int) (lag.length * 0.99)], lag[lag.length - 1]);

      assertThat(byRedisClock.count).as("grants in the busiest sliding second (Redis clock)")
          .isLessThanOrEqualTo(LIMIT + BURST);
      assertThat(Arrays.stream(lag).min().orElse(0)).as("a permit never returns before it is granted, us")
          .isGreaterThanOrEqualTo(-2_000); // same machine; 2 ms for the two clocks' reading granularity
      assertThat(seconds).as("saturated interval, s").isGreaterThan(RUN_MILLIS / 1000.0 * 0.9);
      // When the machine took more than a tenth of the run from the workers, a 2% margin cannot be told apart
      // from its noise: the run measured the machine, not the engine, and is reported as skipped (the limit
      // itself, asserted above, holds whatever the load).
      assumeTrue(forgivenSeconds <= seconds * MAX_STALLED_FRACTION, () -> String.format(
          "the machine was too busy to measure utilisation: workers stalled %.1f s of %.1f s", forgivenSeconds, seconds));
      assertThat(utilisationWhileRunning).as("grants / (limit x time the workers ran)")
          .isGreaterThanOrEqualTo(MIN_UTILISATION);
    }
  }
}
