package dev.ratequeue.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.CoordinatorUnavailableException;
import dev.ratequeue.coordination.FailurePolicy;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceSnapshot;
import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.WorkerJvm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * Redis goes away for about 3 s in the middle of a run and comes back empty (as a restart without persistence
 * does). With {@code on-coordinator-failure = local} calls go on at an in-JVM share of the limit and go back to
 * Redis by themselves; with {@code fail} they fail fast and succeed again after the restart. No call hangs.
 */
class RedisOutageTest {
  private static final int LIMIT = 20; // per second
  private static final Duration LEASE_TTL = Duration.ofSeconds(3);
  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
  private static final Duration MAX_WAIT = Duration.ofSeconds(5);
  private static final Duration OUTAGE = Duration.ofSeconds(3);
  /**
   * From Redis answering again to a resource back on Redis. Lettuce retries the lost connection with a delay
   * that doubles from 1 ms, so its first attempt after the restart comes at most as long after the restart as
   * the outage lasted (the attempts run at 2^n - 1 ms after the drop); then the next recovery probe (every
   * lease TTL/3 = 1 s, or the recovery-probe interval, 1 s) finds it. 3 s more for a busy machine.
   */
  private static long recoveryBoundMicros(long outageMicros) {
    return outageMicros + LEASE_TTL.toNanos() / 3_000 + 3_000_000;
  }
  /** Slack on top of a bound for a busy 2-core machine: thread scheduling, timers, a GC pause. */
  private static final long SLACK_MICROS = 2_000_000;

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void withPolicyLocalCallsGoOnAtALocalShareAndReturnToRedis() throws Exception {
    String namespace = Names.namespace("outage-local");
    ResourceLimits limits = ResourceLimits.builder("outage").requests(LIMIT, Duration.ofSeconds(1)).maxWait(MAX_WAIT)
        .onCoordinatorFailure(FailurePolicy.LOCAL).build();
    CoordinatorOptions options = CoordinatorOptions.builder().namespace(namespace).leaseTtl(LEASE_TTL)
        .commandTimeout(COMMAND_TIMEOUT).build();
    long runMillis = 16_000;
    try (Coordinator coordinator = Coordinator.create(redis.uri(), options); Fleet fleet = new Fleet()) {
      // This JVM takes part too (it heart-beats), so each of the 3 JVMs falls back to a third of the limit.
      ResourceLimiter limiter = coordinator.limiter(limits);
      WorkerArgs args = WorkerArgs.of(redis.uri(), namespace, "outage").set("requests", LIMIT + "/1000")
          .set("maxWaitMillis", MAX_WAIT.toMillis()).set("policy", "local")
          .set("leaseTtlMillis", LEASE_TTL.toMillis()).set("commandTimeoutMillis", COMMAND_TIMEOUT.toMillis())
          .set("mode", "loop").set("threads", 4).set("runMillis", runMillis);
      fleet.start("outage-1", args, true);
      fleet.start("outage-2", args, true);
      fleet.awaitReady();
      Snapshots.await(limiter, s -> s.liveClients() == 3, Duration.ofSeconds(30));

      fleet.go();
      long goAt = epochMicros();
      Thread.sleep(3_000);
      long stoppedAt = epochMicros();
      redis.server().stop();
      Thread.sleep(OUTAGE.toMillis());
      redis.server().restart();
      long restartedAt = epochMicros();

      // This JVM's side: snapshot works again and every JVM heart-beats on the new, empty Redis.
      long recoveryBound = recoveryBoundMicros(restartedAt - stoppedAt);
      ResourceSnapshot back = Snapshots.await(limiter, s -> s.liveClients() == 3,
          Duration.ofNanos(recoveryBound * 1000).plusSeconds(10));
      long snapshotBackAt = epochMicros();
      fleet.awaitDone(Duration.ofMillis(runMillis).plus(MAX_WAIT).plusSeconds(60));
      fleet.saveOutput("outage-local");

      System.out.printf("outage (local): Redis stopped %.1f s after go, for %d ms; snapshot back %d ms after restart"
          + " (%s)%n", (stoppedAt - goAt) / 1e6, (restartedAt - stoppedAt) / 1000, (snapshotBackAt - restartedAt) / 1000, back);
      assertThat(back.liveClients()).isEqualTo(3);

      long lastFirstRedisGrant = restartedAt;
      for (WorkerJvm w : fleet.workers()) {
        List<Grant> grants = Grant.parse(w.name(), w.outputLines());
        // No call hangs: each one returned or threw within max-wait (+ slack); no thread was left inside acquire.
        // The only failure policy local allows is max-wait itself (a machine so busy that the queue stalls).
        List<String> failures = Fleet.linesStartingWith(w, "FAILED");
        assertThat(Fleet.linesStartingWith(w, "HUNG")).as("%s: threads stuck in acquire", w.name()).isEmpty();
        assertThat(failures).as("%s: failed calls", w.name())
            .allMatch(l -> l.startsWith("FAILED MaxWaitExceededException "), "failed on max-wait");
        long longest = Math.max(grants.stream().mapToLong(g -> g.waitedMicros).max().orElse(0),
            failures.stream().mapToLong(l -> Long.parseLong(l.split(" ")[3])).max().orElse(0));
        assertThat(longest).as("%s: longest acquire (granted or failed), us", w.name()).isLessThanOrEqualTo(
            MAX_WAIT.toNanos() / 1000 + SLACK_MICROS);

        // During the outage (after a second for the first failure to be noticed): granted locally, at a share.
        // By grantedAt: a permit Redis granted just before it stopped may return late on a busy machine.
        List<Grant> during = grants.stream()
            .filter(g -> g.grantedAtMicros >= stoppedAt + 1_000_000 && g.grantedAtMicros < restartedAt)
            .collect(Collectors.toList());
        long local = during.stream().filter(g -> g.source == 'L').count();
        // After the restart: back on Redis.
        long firstRedis = grants.stream().filter(g -> g.source == 'R' && g.returnedMicros >= restartedAt)
            .mapToLong(g -> g.returnedMicros).min().orElse(Long.MAX_VALUE);
        System.out.printf("  %s: %d grants, %d failed; %d during the outage (%d local); back on Redis %d ms after"
            + " restart; longest acquire %d ms%n", w.name(), grants.size(), failures.size(), during.size(), local,
            firstRedis == Long.MAX_VALUE ? -1 : (firstRedis - restartedAt) / 1000, longest / 1000);
        assertThat(local).as("%s: local grants while Redis was down", w.name()).isPositive();
        assertThat(during).as("%s: only local grants while Redis was down", w.name()).allMatch(g -> g.source == 'L');
        assertThat(firstRedis - restartedAt).as("%s: from restart to a grant from Redis, us", w.name())
            .isLessThanOrEqualTo(recoveryBound);
        lastFirstRedisGrant = Math.max(lastFirstRedisGrant, firstRedis);
      }

      List<Grant> all = fleet.grants();
      // The local shares together stay within the limit: each JVM got limit / 3 (the live JVMs it last knew).
      long[] duringOutage = all.stream()
          .filter(g -> g.grantedAtMicros >= stoppedAt + 1_000_000 && g.grantedAtMicros < restartedAt)
          .mapToLong(g -> g.grantedAtMicros).toArray();
      Windows.Max outageWindow = Windows.max(duringOutage, 1_000_000);
      // Once everyone is back (and the few calls that had moved to the local share are through: at most 4 per
      // JVM at 6/s, so 3 s is ample), Redis alone decides again and the global limit holds exactly, by Redis'
      // clock.
      long settled = lastFirstRedisGrant + 3_000_000;
      List<Grant> afterwards = all.stream().filter(g -> g.returnedMicros >= settled).collect(Collectors.toList());
      Windows.Max redisWindow = Windows.max(afterwards.stream().mapToLong(g -> g.grantedAtMicros).toArray(), 1_000_000);
      System.out.printf("  during the outage: %d grants, busiest second %s; after recovery: %d grants, busiest"
          + " second by Redis' clock %s (limit %d/s)%n", duringOutage.length, outageWindow, afterwards.size(),
          redisWindow, LIMIT);
      assertThat(outageWindow.count).as("busiest second during the outage, all JVMs").isLessThanOrEqualTo(LIMIT);
      assertThat(afterwards).as("grants after recovery").isNotEmpty().allMatch(g -> g.source == 'R');
      assertThat(redisWindow.count).as("busiest second after recovery (Redis clock)").isLessThanOrEqualTo(LIMIT);
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void withPolicyFailCallsFailFastDuringTheOutageAndSucceedAfterIt() throws Exception {
    String namespace = Names.namespace("outage-fail");
    ResourceLimits limits = ResourceLimits.builder("outage-fail").requests(50, Duration.ofSeconds(1))
        .maxWait(MAX_WAIT).onCoordinatorFailure(FailurePolicy.FAIL).build();
    CoordinatorOptions options = CoordinatorOptions.builder().namespace(namespace).leaseTtl(LEASE_TTL)
        .commandTimeout(COMMAND_TIMEOUT).build();
    try (Coordinator coordinator = Coordinator.create(redis.uri(), options)) {
      ResourceLimiter limiter = coordinator.limiter(limits);
      Snapshots.ready(limiter);
      List<Call> calls = new ArrayList<>();
      // One thread calls in a loop until 2 s of calls have succeeded after the restart (60 s at most).
      Thread caller = new Thread(() -> {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long firstSuccessAfterRestart = -1;
        while (System.nanoTime() - end < 0) {
          Call c = Call.make(limiter);
          synchronized (calls) {
            calls.add(c);
          }
          if (c.failure != null) {
            Snapshots.sleep(20); // refusals are instant: don't spin
          } else if (restarted && firstSuccessAfterRestart < 0) {
            firstSuccessAfterRestart = c.startMicros;
          } else if (firstSuccessAfterRestart >= 0 && c.startMicros - firstSuccessAfterRestart > 2_000_000) {
            return;
          }
        }
      }, "fail-policy-caller");
      caller.start();
      Thread.sleep(1_500);
      long stoppedAt = epochMicros();
      redis.server().stop();
      Thread.sleep(OUTAGE.toMillis());
      redis.server().restart();
      long restartedAt = epochMicros();
      restarted = true;
      caller.join(TimeUnit.SECONDS.toMillis(70));
      assertThat(caller.isAlive()).as("caller still inside acquire").isFalse();

      List<Call> before = calls.stream().filter(c -> c.startMicros < stoppedAt).collect(Collectors.toList());
      List<Call> during = calls.stream().filter(c -> c.startMicros >= stoppedAt && c.startMicros < restartedAt)
          .collect(Collectors.toList());
      List<Call> failed = calls.stream().filter(c -> c.failure != null).collect(Collectors.toList());
      Call firstBack = calls.stream().filter(c -> c.startMicros >= restartedAt && c.failure == null).findFirst()
          .orElse(null);
      long longest = calls.stream().mapToLong(c -> c.micros).max().orElse(0);
      System.out.printf("outage (fail): %d calls before, %d during (%d failed in all); longest call %d ms; first"
          + " success %d ms after restart%n", before.size(), during.size(), failed.size(), longest / 1000,
          firstBack == null ? -1 : (firstBack.startMicros + firstBack.micros - restartedAt) / 1000);

      assertThat(before).as("calls before the outage").isNotEmpty().allMatch(c -> c.failure == null);
      assertThat(during).as("calls during the outage").isNotEmpty();
      // Every failure is the documented one, and fast: the call in flight when Redis went away waits at most
      // the command timeout, every later one is refused at once. Slack for a busy machine.
      assertThat(failed).as("failed calls").isNotEmpty()
          .allMatch(c -> c.failure instanceof CoordinatorUnavailableException, "CoordinatorUnavailableException")
          .allMatch(c -> c.micros <= COMMAND_TIMEOUT.toNanos() / 1000 + SLACK_MICROS, "failed within the timeout");
      assertThat(during.stream().filter(c -> c.startMicros >= stoppedAt + COMMAND_TIMEOUT.toNanos() / 1000
          + SLACK_MICROS)).as("calls well into the outage").isNotEmpty().allMatch(c -> c.failure != null);
      // No call hangs, whatever its outcome.
      assertThat(longest).as("longest call, us").isLessThanOrEqualTo(MAX_WAIT.toNanos() / 1000 + SLACK_MICROS);
      // Back after the restart, by itself, and for good.
      assertThat(firstBack).as("a successful call after the restart").isNotNull();
      assertThat(firstBack.startMicros + firstBack.micros - restartedAt).as("restart to first success, us")
          .isLessThanOrEqualTo(recoveryBoundMicros(restartedAt - stoppedAt));
      assertThat(calls.stream().filter(c -> c.startMicros > firstBack.startMicros))
          .as("calls after the first success").isNotEmpty().allMatch(c -> c.failure == null);
    }
  }

  /** Set once Redis is back, for the caller thread of the fail-policy test. */
  private volatile boolean restarted;

  /** One acquire: when it started (local clock), how long it took, how it ended. */
  private static final class Call {
    long startMicros;
    long micros;
    RuntimeException failure;

    static Call make(ResourceLimiter limiter) {
      Call c = new Call();
      c.startMicros = epochMicros();
      long t0 = System.nanoTime();
      try {
        limiter.acquire(1, 0).close();
      } catch (RuntimeException e) {
        c.failure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.failure = new IllegalStateException(e);
      }
      c.micros = (System.nanoTime() - t0) / 1000;
      return c;
    }
  }

  private static long epochMicros() {
    return PermitWorker.epochMicros(Instant.now());
  }
}
