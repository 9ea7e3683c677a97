package dev.ratequeue.coordination.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.CoordinatorUnavailableException;
import dev.ratequeue.coordination.FailurePolicy;
import dev.ratequeue.coordination.MaxWaitExceededException;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis goes away and comes back under a running coordinator: callers get the failure policy at
 * once (no hang), it is logged once, and the coordinator finds Redis again by itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisOutageTest {
  // Generous for a loaded machine; with Redis stopped, calls fail on the refused connection at once.
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
  private RedisServer redis;
  private Coordinator coordinator;
  private CapturedLog log;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    log = new CapturedLog();
  }

  @AfterEach
  void stop() {
    if (coordinator != null) {
      coordinator.close();
    }
    log.close();
    redis.close();
  }

  private ResourceLimiter limiter(FailurePolicy policy) {
    coordinator = Coordinator.create(redis.uri(), CoordinatorOptions.builder().commandTimeout(COMMAND_TIMEOUT)
        .recoveryProbe(Duration.ofMillis(200)).build());
    return coordinator.limiter(ResourceLimits.builder("outage-" + policy).requests(20, Duration.ofSeconds(1))
        .onCoordinatorFailure(policy).build());
  }

  @Test
  void localPolicyKeepsGrantingAtTheLocalShareLogsOnceAndRecovers() throws Exception {
    ResourceLimiter limiter = limiter(FailurePolicy.LOCAL);
    limiter.acquire().close();
    redis.stop();

    long start = System.nanoTime();
    int granted = 0;
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2)) {
      long callStart = System.nanoTime();
      limiter.acquire().close();
      // A call never waits for a dead Redis: at worst one command timeout, then the local share.
      assertThat(Duration.ofNanos(System.nanoTime() - callStart)).isLessThan(COMMAND_TIMEOUT.multipliedBy(3));
      granted++;
    }
    // One live client: the local share is the whole 20/s, so ~40 in 2s (less the first timeout).
    assertThat(granted).isBetween(20, 45);
    assertThat(log.lines(Level.WARNING)).hasSize(1).allMatch(l -> l.contains("outage-local") && l.contains("local"));

    redis.restart();
    awaitRecovered(limiter);
    assertThat(log.lines(Level.INFO)).anyMatch(l -> l.contains("is back"));
    assertThat(log.lines(Level.WARNING)).hasSize(1);
  }

  @Test
  void failPolicyFailsFastDuringTheOutageAndServesAgainAfter() throws Exception {
    ResourceLimiter limiter = limiter(FailurePolicy.FAIL);
    limiter.acquire().close();
    redis.stop();
    for (int i = 0; i < 5; i++) {
      long callStart = System.nanoTime();
      assertThatThrownBy(limiter::acquire).isInstanceOf(CoordinatorUnavailableException.class)
          .hasMessageContaining("outage-fail").hasMessageContaining("on-coordinator-failure = fail");
      assertThat(Duration.ofNanos(System.nanoTime() - callStart)).isLessThan(COMMAND_TIMEOUT.multipliedBy(3));
    }
    redis.restart();
    awaitRecovered(limiter);
    try (Permit p = limiter.acquire()) {
      assertThat(p.resource()).isEqualTo("outage-fail");
    }
  }

  @Test
  void allowPolicyLetsEveryCallThroughDuringTheOutage() throws Exception {
    ResourceLimiter limiter = limiter(FailurePolicy.ALLOW);
    limiter.acquire().close();
    redis.stop();
    limiter.acquire().close(); // the call that discovers the outage
    long start = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      limiter.acquire().close();
    }
    // 200 calls at 20/s would take 10s under the limit; unlimited they take no time at all.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    redis.restart();
    awaitRecovered(limiter);
  }

  @Test
  void anApplicationStartsNormallyWhileRedisIsDownAndConnectsWhenItComesUp() throws Exception {
    redis.stop();
    long start = System.nanoTime();
    ResourceLimiter limiter = limiter(FailurePolicy.LOCAL);
    limiter.acquire().close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    redis.restart();
    awaitRecovered(limiter);
    assertThat(limiter.snapshot().liveClients()).isEqualTo(1);
  }

  @Test
  void callsMovedToTheLocalShareKeepTheirOrderAndWhatIsLeftOfTheirMaxWait() throws Exception {
    coordinator = Coordinator.create(redis.uri(), CoordinatorOptions.builder().commandTimeout(COMMAND_TIMEOUT)
        .recoveryProbe(Duration.ofMillis(200)).build());
    // 5/s and max-wait 3s; 11 calls queue behind a 2s pause, so each is predicted within max-wait.
    ResourceLimiter limiter = coordinator.limiter(ResourceLimits.builder("outage-moved").requests(5, Duration.ofSeconds(1))
        .maxWait(Duration.ofSeconds(3)).onCoordinatorFailure(FailurePolicy.LOCAL).build());
    limiter.snapshot();
    limiter.pause(Duration.ofSeconds(2));
    long start = System.nanoTime();
    List<CompletableFuture<Permit>> calls = new ArrayList<>();
    long[] endedAfterNanos = new long[5];
    for (int i = 0; i < 5; i++) {
      int n = i;
      calls.add(limiter.acquireAsync(1, 0));
      calls.get(i).whenComplete((p, f) -> endedAfterNanos[n] = System.nanoTime() - start);
    }
    Thread.sleep(1500);
    redis.stop(); // the calls move to this JVM's share: 5/s, fresh, so they go one every 200ms
    List<Instant> grantedAt = new ArrayList<>();
    for (CompletableFuture<Permit> call : calls) {
      grantedAt.add(call.get(10, TimeUnit.SECONDS).grantedAt());
    }
    assertThat(grantedAt).isSorted();
    for (long ended : endedAfterNanos) {
      // Within max-wait of when each was made (plus scheduling slack), not of when it moved.
      assertThat(Duration.ofNanos(ended)).isLessThan(Duration.ofMillis(3500));
    }
  }

  @Test
  void aCallWhoseMaxWaitRunsOutAfterMovingFailsThen() throws Exception {
    coordinator = Coordinator.create(redis.uri(), CoordinatorOptions.builder().commandTimeout(COMMAND_TIMEOUT)
        .recoveryProbe(Duration.ofMillis(200)).build());
    ResourceLimiter limiter = coordinator.limiter(ResourceLimits.builder("outage-late").concurrency(1)
        .maxWait(Duration.ofSeconds(2)).onCoordinatorFailure(FailurePolicy.LOCAL).build());
    Permit fromRedis = limiter.acquire();
    long start = System.nanoTime();
    CompletableFuture<Permit> waiting = limiter.acquireAsync(1, 0);
    while (limiter.snapshot().queueDepth() < 1) {
      Thread.sleep(10);
    }
    Thread.sleep(1000); // half of its max-wait is used up in Redis' queue
    redis.stop();
    // This call finds Redis gone; both move to the local share (concurrency 1), the higher
    // priority first, so it takes the only slot and keeps it.
    Permit local = limiter.acquireAsync(1, 10).get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(MaxWaitExceededException.class);
    // It fails when its own 2s run out, not 2s after it moved.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2900));
    local.close();
    fromRedis.close();
  }

  /** Back means: the snapshot comes from Redis again (it throws while Redis is unreachable). */
  private static void awaitRecovered(ResourceLimiter limiter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        limiter.acquire().close();
        limiter.snapshot();
        return;
      } catch (CoordinatorUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the coordinator did not recover within 15s", e);
        }
        Thread.sleep(100);
      }
    }
  }
}
