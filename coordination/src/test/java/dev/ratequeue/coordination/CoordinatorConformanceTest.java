package dev.ratequeue.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratequeue.testing.StallMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * What every coordinator kind must do, whatever it talks to. One subclass per coordinator.
 *
 * <p>Rates are checked on {@link Permit#grantedAt()}, the coordinator's own clock, because that is
 * what the limits bound exactly; the moment a thread wakes up after its grant is later by
 * scheduling jitter that no limiter controls. Margins are explained where they are taken; each
 * test is bounded in time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class CoordinatorConformanceTest {
  protected Coordinator coordinator;
  private String resource;

  /** A fresh coordinator; it is closed after each test. */
  protected abstract Coordinator newCoordinator();

  @BeforeEach
  void open(TestInfo test) {
    coordinator = newCoordinator();
    String method = test.getTestMethod().get().getName().toLowerCase();
    resource = method.substring(0, Math.min(40, method.length())) + "-" + Long.toString(System.nanoTime(), 36);
  }

  @AfterEach
  void closeCoordinator() {
    coordinator.close();
  }

  protected ResourceLimits.Builder limits() {
    return ResourceLimits.builder(resource);
  }

  @Test
  void requestRateIsNeverExceededAndFullyUsedUnderOverload() throws Exception {
    int limit = 50;
    ResourceLimiter limiter = coordinator.limiter(limits().requests(limit, Duration.ofSeconds(1)).build());
    List<Instant> grants;
    try (StallMeter stalls = new StallMeter(Duration.ofMillis(20))) {
      grants = hammer(limiter, 8, Duration.ofMillis(3500), 1);
      assertThat(GrantTimes.maxInAnyWindow(grants, Duration.ofSeconds(1))).isLessThanOrEqualTo(limit);
      GrantTimes.assertFullyUsed(grants, Duration.ofNanos(1_000_000_000L / limit), stalls);
    }
  }

  @Test
  void burstLetsThatManyMoreThroughInAWindowAndNoMore() throws Exception {
    int limit = 40;
    int burst = 10;
    ResourceLimiter limiter =
        coordinator.limiter(limits().requests(limit, Duration.ofSeconds(1)).burst(burst).build());
    // More threads than the burst, so the whole burst is asked for at once.
    List<Instant> grants = hammer(limiter, 16, Duration.ofMillis(2500), 1);

    assertThat(GrantTimes.maxInAnyWindow(grants, Duration.ofSeconds(1))).isLessThanOrEqualTo(limit + burst);
    // After idle the burst is there at once: the first burst + 1 calls start together (one
    // interval is 25ms; 15ms of slack covers threads that reach the coordinator a little late).
    assertThat(Duration.between(grants.get(0), grants.get(burst))).isLessThan(Duration.ofMillis(15));
    // And it is spent: the call after it waits for its turn.
    assertThat(Duration.between(grants.get(0), grants.get(burst + 1))).isGreaterThanOrEqualTo(Duration.ofMillis(20));
  }

  @Test
  void loadRateIsNeverExceededAndFullyUsed() throws Exception {
    int limit = 400; // units per second; every call weighs 10, so 40 calls/s
    ResourceLimiter limiter = coordinator.limiter(limits().load(limit, Duration.ofSeconds(1)).build());
    try (StallMeter stalls = new StallMeter(Duration.ofMillis(20))) {
      List<Instant> grants = hammer(limiter, 8, Duration.ofMillis(3000), 10);
      assertThat(GrantTimes.maxInAnyWindow(grants, Duration.ofSeconds(1)) * 10).isLessThanOrEqualTo(limit);
      GrantTimes.assertFullyUsed(grants, Duration.ofNanos(10 * 1_000_000_000L / limit), stalls);
    }
  }

  @Test
  void concurrencyIsNeverExceeded() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().concurrency(3).build());
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    runThreads(10, Duration.ofMillis(1500), () -> {
      Permit p = limiter.acquire(1, 0);
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      Thread.sleep(5);
      inFlight.decrementAndGet();
      p.close();
      calls.incrementAndGet();
    });
    assertThat(maxInFlight.get()).isEqualTo(3);
    // 3 slots, 5ms each, 1.5s: a few hundred calls unless slots are lost between calls.
    assertThat(calls.get()).isGreaterThan(200);
    assertThat(limiter.snapshot().inFlight()).isZero();
  }

  @Test
  void waitingCallsAreServedByPriorityThenArrivalAcrossTheQueue() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(200, Duration.ofSeconds(1)).build());
    limiter.pause(Duration.ofSeconds(30));
    int[] priorities = {1, 5, 1, 10, 5, 10, 1, 5, 10, 1, 10, 5};
    List<CompletableFuture<Permit>> pending = new ArrayList<>();
    for (int p : priorities) {
      pending.add(limiter.acquireAsync(1, p));
    }
    awaitTrue(() -> limiter.snapshot().queueDepth() == priorities.length);
    assertThat(limiter.snapshot().queueDepthByPriority()).containsEntry(10, 4L).containsEntry(5, 4L)
        .containsEntry(1, 4L);
    limiter.resume();

    List<int[]> order = new ArrayList<>(); // {priority, arrival}
    List<Instant> at = new ArrayList<>();
    for (int i = 0; i < priorities.length; i++) {
      Permit permit = pending.get(i).get(10, TimeUnit.SECONDS);
      order.add(new int[] {priorities[i], i});
      at.add(permit.grantedAt());
    }
    List<Integer> byGrantTime = new ArrayList<>();
    for (int i = 0; i < priorities.length; i++) {
      byGrantTime.add(i);
    }
    byGrantTime.sort((a, b) -> at.get(a).compareTo(at.get(b)));
    List<Integer> expected = new ArrayList<>(byGrantTime);
    expected.sort((a, b) -> priorities[a] != priorities[b] ? priorities[b] - priorities[a] : a - b);
    assertThat(byGrantTime).as("arrival indexes in grant order").isEqualTo(expected);
  }

  @Test
  void aHigherPriorityArrivalOvertakesAWaitingBacklog() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(20, Duration.ofSeconds(1)).build());
    List<CompletableFuture<Permit>> backlog = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      backlog.add(limiter.acquireAsync(1, 0));
    }
    awaitTrue(() -> limiter.snapshot().queueDepth() >= 20);
    long start = System.nanoTime();
    limiter.acquire(1, 100).close();
    // The backlog needs 1.5s; the urgent call waits at most the turns already granted within the
    // lookahead plus one interval (50ms). 400ms is a generous bound on a busy machine.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
    long grantedBefore = backlog.stream().filter(CompletableFuture::isDone).count();
    assertThat(grantedBefore).isLessThan(10);
    for (CompletableFuture<Permit> f : backlog) {
      f.cancel(false);
    }
  }

  @Test
  void aLoadLargerThanTheBurstIsGrantedOnItsTurnAndDelaysTheCallsBehindIt() throws Exception {
    // 100 units/s and no load burst: a call of 300 units can never "fit"; it must still go.
    ResourceLimiter limiter = coordinator.limiter(limits().load(100, Duration.ofSeconds(1)).build());
    Permit small = limiter.acquire(10, 0);
    Permit large = limiter.acquireAsync(300, 0).get(5, TimeUnit.SECONDS);
    Permit next = limiter.acquireAsync(10, 0).get(10, TimeUnit.SECONDS);
    // The large call waits for the small one's 10 units (0.1s); the next waits for its 300 (3s).
    assertThat(Duration.between(small.grantedAt(), large.grantedAt()).toMillis()).isBetween(90L, 200L);
    assertThat(Duration.between(large.grantedAt(), next.grantedAt()).toMillis()).isBetween(2950L, 3100L);
  }

  @Test
  void reconcileChargesAndRefundsTheDifference() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().load(100, Duration.ofSeconds(1)).build());
    Permit first = limiter.acquire(10, 0);
    first.reconcile(60); // 50 more units: the next turn moves 0.5s later
    first.close();
    Permit second = limiter.acquire(10, 0);
    assertThat(Duration.between(first.grantedAt(), second.grantedAt()).toMillis()).isBetween(590L, 700L);

    second.reconcile(0); // refund its 10 units: the third goes right after the second's turn
    Permit third = limiter.acquire(10, 0);
    assertThat(Duration.between(second.grantedAt(), third.grantedAt()).toMillis()).isLessThan(60L);
    assertThat(second.load()).isZero();
  }

  @Test
  void aPauseHoldsEveryCallUntilItEndsAndResumeEndsItEarly() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(100, Duration.ofSeconds(1)).build());
    limiter.acquire().close();
    long start = System.nanoTime();
    limiter.pause(Duration.ofMillis(800));
    assertThat(limiter.snapshot().paused()).isTrue();
    Permit afterPause = limiter.acquire();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(750));

    limiter.pause(Duration.ofSeconds(20));
    CompletableFuture<Permit> held = limiter.acquireAsync(1, 0);
    Thread.sleep(200);
    assertThat(held).isNotDone();
    limiter.resume();
    assertThat(held.get(5, TimeUnit.SECONDS).grantedAt()).isAfter(afterPause.grantedAt());
  }

  @Test
  void aPauseNeverShortensOneInForce() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(100, Duration.ofSeconds(1)).build());
    limiter.pause(Duration.ofSeconds(2));
    limiter.pause(Duration.ofMillis(100));
    assertThat(limiter.snapshot().pausedFor()).isGreaterThan(Duration.ofMillis(1500));
    assertThat(limiter.snapshot().pausedUntil()).hasValueSatisfying(
        until -> assertThat(until).isBetween(Instant.now().plusMillis(1000), Instant.now().plusMillis(2100)));
    limiter.resume();
  }

  @Test
  void aCallPredictedToWaitBeyondMaxWaitFailsAtOnceNamingResourceLimitAndWait() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(
        limits().requests(2, Duration.ofSeconds(1)).maxWait(Duration.ofMillis(1200)).build());
    limiter.acquire().close();
    limiter.acquireAsync(1, 0); // turn at +0.5s
    limiter.acquireAsync(1, 0); // turn at +1.0s
    long start = System.nanoTime();
    assertThatThrownBy(() -> limiter.acquire(1, 0)) // turn at +1.5s > 1.2s
        .isInstanceOf(MaxWaitExceededException.class)
        .hasMessageContaining(limiter.resource())
        .hasMessageContaining("requests = 2/1s")
        .hasMessageContaining("predicted wait")
        .hasMessageContaining("max-wait 1200ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void aCallThatWaitsLongerThanMaxWaitFailsThenAndLeavesTheQueue() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().concurrency(1).maxWait(Duration.ofMillis(400)).build());
    Permit holder = limiter.acquire();
    long start = System.nanoTime();
    assertThatThrownBy(() -> limiter.acquire(1, 0))
        .isInstanceOf(MaxWaitExceededException.class)
        .hasMessageContaining("concurrency = 1");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(350), Duration.ofSeconds(3));
    awaitTrue(() -> limiter.snapshot().queueDepth() == 0);
    holder.close();
    Permit next = limiter.acquire();
    assertThat(limiter.snapshot().inFlight()).isEqualTo(1);
    next.close();
  }

  @Test
  void thousandsOfPendingAsyncAcquiresHoldNoThread() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(1000, Duration.ofSeconds(1)).build());
    limiter.pause(Duration.ofSeconds(30));
    int before = Thread.activeCount();
    List<CompletableFuture<Permit>> pending = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      pending.add(limiter.acquireAsync(1, 0));
    }
    awaitTrue(() -> limiter.snapshot().queueDepth() == 2000);
    // A coordinator owns a handful of threads (timer, completions, I/O); 2,000 waiters add none.
    assertThat(Thread.activeCount() - before).isLessThan(10);
    limiter.resume();
    CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
    assertThat(Thread.activeCount() - before).isLessThan(16);
  }

  @Test
  void cancellingAPendingAcquireTakesItOutOfTheQueue() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().concurrency(1).build());
    Permit holder = limiter.acquire();
    CompletableFuture<Permit> cancelled = limiter.acquireAsync(1, 0);
    CompletableFuture<Permit> kept = limiter.acquireAsync(1, 0);
    awaitTrue(() -> limiter.snapshot().queueDepth() == 2);
    cancelled.cancel(false);
    awaitTrue(() -> limiter.snapshot().queueDepth() == 1);
    holder.close();
    Permit next = kept.get(5, TimeUnit.SECONDS);
    assertThat(limiter.snapshot().inFlight()).isEqualTo(1);
    next.close();
    awaitTrue(() -> limiter.snapshot().inFlight() == 0);
  }

  @Test
  void anInterruptedAcquireLeavesTheQueue() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().concurrency(1).build());
    Permit holder = limiter.acquire();
    AtomicLong outcome = new AtomicLong();
    Thread waiter = new Thread(() -> {
      try {
        limiter.acquire(1, 0).close();
        outcome.set(1);
      } catch (InterruptedException e) {
        outcome.set(2);
      }
    });
    waiter.start();
    awaitTrue(() -> limiter.snapshot().queueDepth() == 1);
    waiter.interrupt();
    waiter.join(5000);
    assertThat(outcome.get()).isEqualTo(2);
    awaitTrue(() -> limiter.snapshot().queueDepth() == 0);
    holder.close();
    awaitTrue(() -> limiter.snapshot().inFlight() == 0);
  }

  @Test
  void tryAcquireNeverWaitsAndNeverJumpsAWaitingCallOfEqualOrHigherPriority() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(5, Duration.ofSeconds(1)).build());
    Optional<Permit> first = limiter.tryAcquire(1, 0);
    assertThat(first).isPresent();
    long start = System.nanoTime();
    assertThat(limiter.tryAcquire(1, 0)).isEmpty(); // next turn is 200ms away
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(150));

    ResourceLimiter slots = coordinator.limiter(ResourceLimits.builder(limiter.resource() + "-c").concurrency(1).build());
    Permit holder = slots.acquire();
    CompletableFuture<Permit> waiting = slots.acquireAsync(1, 5);
    awaitTrue(() -> slots.snapshot().queueDepth() == 1);
    holder.close();
    // The slot is free now, but it belongs to the waiting call.
    Permit granted = waiting.get(5, TimeUnit.SECONDS);
    assertThat(slots.tryAcquire(1, 5)).isEmpty();
    granted.close();
    awaitTrue(() -> slots.snapshot().inFlight() == 0);
    Optional<Permit> free = slots.tryAcquire(1, 5);
    assertThat(free).isPresent();
    free.get().close();
  }

  @Test
  void aLimitChangeTakesEffectOnTheNextDecision() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(2, Duration.ofSeconds(1)).build());
    Permit first = limiter.acquire();
    limiter.updateLimits(limiter.limits().toBuilder().requests(50, Duration.ofSeconds(1)).build());
    List<Instant> grants = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      grants.add(limiter.acquire().grantedAt());
    }
    // At 2/s ten more calls would take 5s; at 50/s they take 0.2s after the turn the first one
    // already set (0.5s at the old rate).
    assertThat(Duration.between(first.grantedAt(), grants.get(9))).isLessThan(Duration.ofMillis(1000));
    assertThat(limiter.limits().requests()).contains(Rate.of(50, Duration.ofSeconds(1)));
  }

  @Test
  void theSnapshotShowsQueueInFlightAndThroughput() throws Exception {
    ResourceLimiter limiter =
        coordinator.limiter(limits().requests(100, Duration.ofSeconds(1)).concurrency(2).build());
    Permit a = limiter.acquire();
    Permit b = limiter.acquire();
    CompletableFuture<Permit> waiting = limiter.acquireAsync(1, 7);
    awaitTrue(() -> limiter.snapshot().queueDepth() == 1);
    ResourceSnapshot s = limiter.snapshot();
    assertThat(s.inFlight()).isEqualTo(2);
    assertThat(s.queueDepthByPriority()).containsExactly(java.util.Map.entry(7, 1L));
    assertThat(s.liveClients()).isGreaterThanOrEqualTo(1);
    assertThat(s.utilization()).isGreaterThanOrEqualTo(1.0); // both slots in use
    a.close();
    waiting.get(5, TimeUnit.SECONDS).close();
    b.close();
    awaitTrue(() -> limiter.snapshot().inFlight() == 0);
  }

  @Test
  void aQueuedBacklogDrainsOnEveryTurnWithoutGaps() throws Exception {
    // Every grant here needs the coordinator to wake itself for the next turn: a wake-up that is
    // lost shows as a gap of a whole heartbeat (seconds) instead of one interval (25ms).
    for (int round = 0; round < 3; round++) {
      ResourceLimiter limiter = coordinator.limiter(ResourceLimits.builder(resource + "-" + round)
          .requests(40, Duration.ofSeconds(1)).build());
      List<CompletableFuture<Permit>> backlog = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        backlog.add(limiter.acquireAsync(1, 0));
      }
      Instant previous = null;
      Duration longestGap = Duration.ZERO;
      for (CompletableFuture<Permit> f : backlog) {
        Permit p = f.get(20, TimeUnit.SECONDS);
        if (previous != null && Duration.between(previous, p.grantedAt()).compareTo(longestGap) > 0) {
          longestGap = Duration.between(previous, p.grantedAt());
        }
        previous = p.grantedAt();
        p.close();
      }
      // 25ms apart by the coordinator's clock, unless its own threads stalled; 500ms would mean a
      // stall twenty intervals long, far beyond scheduling noise.
      assertThat(longestGap).as("round %d", round).isLessThan(Duration.ofMillis(500));
    }
  }

  @Test
  void callsOfLoadZeroAndPriorityZeroLeaveNothingBehind() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().concurrency(1).load(100, Duration.ofSeconds(1)).build());
    for (int round = 0; round < 3; round++) {
      Permit holder = limiter.acquire(0, 0);
      List<CompletableFuture<Permit>> waiting = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        waiting.add(limiter.acquireAsync(i % 2, 0));
      }
      awaitTrue(() -> limiter.snapshot().queueDepth() == 4);
      waiting.get(3).cancel(false);
      holder.close();
      for (int i = 0; i < 3; i++) {
        waiting.get(i).get(10, TimeUnit.SECONDS).close();
      }
      awaitTrue(() -> limiter.snapshot().queueDepth() == 0 && limiter.snapshot().inFlight() == 0);
      assertThat(limiter.snapshot().queueDepthByPriority()).isEmpty();
    }
  }

  @Test
  void aNegativeLoadIsRefusedNamingTheValue() {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(10, Duration.ofSeconds(1)).build());
    assertThatThrownBy(() -> limiter.acquire(-5, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'load'").hasMessageContaining("-5").hasMessageContaining(">= 0");
    assertThatThrownBy(() -> limiter.acquireAsync(-1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void holdingARateBackDelaysItsNextGrantAndNeverLetsMoreThrough() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(100, Duration.ofSeconds(1)).build());
    Permit first = limiter.acquire(1, 0);
    first.close();
    // What an upstream's headers say: no room for requests for the next 400 ms.
    limiter.holdBack(LimitKind.REQUESTS, Duration.ofMillis(400));
    Permit second = limiter.acquire(1, 0);
    second.close();
    // Granted times are the coordinator's; the hold started after the first grant, so at least 400 ms
    // after it, less the few ms the first call's round trip may have taken.
    assertThat(Duration.between(first.grantedAt(), second.grantedAt())).isGreaterThan(Duration.ofMillis(380))
        .isLessThan(Duration.ofSeconds(3));
    // A hold shorter than the limiter's own spacing changes nothing: one call per 10 ms goes on.
    limiter.holdBack(LimitKind.REQUESTS, Duration.ZERO);
    Permit third = limiter.acquire(1, 0);
    third.close();
    assertThat(Duration.between(second.grantedAt(), third.grantedAt())).isLessThan(Duration.ofMillis(200));
    // A resource without a load limit has nothing to hold back for load.
    limiter.holdBack(LimitKind.LOAD, Duration.ofSeconds(30));
    Permit fourth = limiter.acquire(1, 0);
    fourth.close();
    assertThat(Duration.between(third.grantedAt(), fourth.grantedAt())).isLessThan(Duration.ofMillis(200));
  }

  @Test
  void holdingTheLoadBackDelaysLoadOnly() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().load(10_000, Duration.ofSeconds(1)).build());
    Permit first = limiter.acquire(10, 0);
    first.close();
    limiter.holdBack(LimitKind.LOAD, Duration.ofMillis(300));
    Permit second = limiter.acquire(10, 0);
    second.close();
    assertThat(Duration.between(first.grantedAt(), second.grantedAt())).isGreaterThan(Duration.ofMillis(280));
  }

  @Test
  void anAdaptiveRateIsCutOncePerCooldownWhateverTheNumberOfRefusals() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(100, Duration.ofSeconds(1))
        .adaptive(AdaptiveRate.of(0.1, 0.5, 0.0)).build());
    assertThat(limiter.snapshot().rateFactor()).isEqualTo(1.0);
    limiter.overloaded();
    limiter.overloaded(); // the same overshoot, reported twice: one cut
    assertThat(limiter.snapshot().rateFactor()).isCloseTo(0.5, org.assertj.core.api.Assertions.within(0.001));
    // At half of 100/s, calls go every 20 ms: eleven take at least 200 ms (190 with the margin of a
    // first grant that may have come early within the lookahead).
    List<Instant> grants = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      try (Permit p = limiter.acquire(1, 0)) {
        grants.add(p.grantedAt());
      }
    }
    assertThat(Duration.between(grants.get(0), grants.get(10))).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    // A refusal after the cooldown cuts again, never below the floor.
    Thread.sleep(AdaptiveRate.COOLDOWN_MICROS / 1000 + 50);
    limiter.overloaded();
    assertThat(limiter.snapshot().rateFactor()).isCloseTo(0.25, org.assertj.core.api.Assertions.within(0.001));
    Thread.sleep(AdaptiveRate.COOLDOWN_MICROS / 1000 + 50);
    limiter.overloaded();
    Thread.sleep(AdaptiveRate.COOLDOWN_MICROS / 1000 + 50);
    limiter.overloaded();
    assertThat(limiter.snapshot().rateFactor()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(0.001));
  }

  @Test
  void anAdaptiveRateGrowsBackToItsCeilingWhileNoRefusalComes() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(100, Duration.ofSeconds(1))
        .adaptive(AdaptiveRate.of(0.1, 0.5, 1.0)).build());
    limiter.overloaded();
    // 0.5 grows by 1.0 (the whole ceiling) per second: about 0.7 after 200 ms, 1 (and no more) after 500.
    Thread.sleep(200);
    assertThat(limiter.snapshot().rateFactor()).isBetween(0.6, 0.99);
    Thread.sleep(600);
    assertThat(limiter.snapshot().rateFactor()).isEqualTo(1.0);
    assertThat(limiter.limits().adaptive()).isPresent();
  }

  @Test
  void aNonAdaptiveResourceIgnoresRefusals() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().requests(100, Duration.ofSeconds(1)).build());
    limiter.overloaded();
    assertThat(limiter.snapshot().rateFactor()).isEqualTo(1.0);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Threads acquire and close as fast as the limiter allows, for {@code duration}; grant times sorted. */
  private static List<Instant> hammer(ResourceLimiter limiter, int threads, Duration duration, long load)
      throws Exception {
    ConcurrentLinkedQueue<Instant> grants = new ConcurrentLinkedQueue<>();
    runThreads(threads, duration, () -> {
      try (Permit p = limiter.acquire(load, 0)) {
        grants.add(p.grantedAt());
      }
    });
    List<Instant> sorted = new ArrayList<>(grants);
    Collections.sort(sorted);
    return sorted;
  }

  @Test
  void statsCountWaitingInFlightGrantedAndCancelledCallsOfEveryKindOfAcquire() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().concurrency(1).build());
    ResourceStats stats = limiter.stats();
    assertThat(stats.resource()).isEqualTo(limiter.resource());
    Permit held = limiter.acquire();
    assertThat(stats.inFlight()).isEqualTo(1);
    CompletableFuture<Permit> queued = limiter.acquireAsync(1, 0);
    CompletableFuture<Permit> cancelled = limiter.acquireAsync(1, 0);
    assertThat(stats.waiting()).isEqualTo(2);
    assertThat(limiter.tryAcquire(1, 0)).isEmpty();
    cancelled.cancel(false);
    awaitTrue(() -> stats.cancelled() == 1);
    Thread.sleep(50); // a wait long enough to show in the percentiles
    held.close();
    Permit second = queued.get(5, TimeUnit.SECONDS);
    awaitTrue(() -> stats.waiting() == 0 && stats.granted() == 2);
    assertThat(stats.inFlight()).isEqualTo(1);
    second.close();
    second.close(); // twice is harmless, and counted once
    Permit tried = limiter.tryAcquire(1, 0).orElseThrow();
    assertThat(stats.inFlight()).isEqualTo(1);
    tried.close();

    assertThat(stats.inFlight()).isZero();
    assertThat(stats.granted()).isEqualTo(3);
    assertThat(stats.rejected()).isZero();
    assertThat(stats.coordinatorState()).isEqualTo(ResourceStats.CoordinatorState.CONNECTED);
    WaitTimes waits = stats.waitTimes();
    // Two queued grants: the first immediate, the second after the 50 ms the holder kept its slot.
    assertThat(waits.windowCount()).isEqualTo(2);
    assertThat(waits.totalCount()).isEqualTo(2);
    assertThat(waits.maxMicros()).isGreaterThanOrEqualTo(45_000);
    assertThat(waits.p50Micros()).isLessThanOrEqualTo(waits.p99Micros());
    assertThat(stats.waitTimes().windowCount()).as("a second read sees the same window").isEqualTo(2);
  }

  @Test
  void statsCountMaxWaitRejectionsByReason() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().concurrency(1).maxWait(Duration.ofMillis(200)).build());
    Permit held = limiter.acquire();
    assertThatThrownBy(() -> limiter.acquire(1, 0)).isInstanceOf(MaxWaitExceededException.class);
    CompletableFuture<Permit> async = limiter.acquireAsync(1, 0);
    assertThatThrownBy(() -> async.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(MaxWaitExceededException.class);
    ResourceStats stats = limiter.stats();
    awaitTrue(() -> stats.rejected(ResourceStats.Rejection.MAX_WAIT) == 2);
    assertThat(stats.rejected()).isEqualTo(2);
    assertThat(stats.waiting()).isZero();
    assertThat(stats.granted()).isEqualTo(1);
    held.close();
    assertThat(stats.inFlight()).isZero();
  }

  @Test
  void manyThreadsLeaveStatsThatAddUp() throws Exception {
    ResourceLimiter limiter = coordinator.limiter(limits().concurrency(2).build());
    AtomicInteger calls = new AtomicInteger();
    runThreads(6, Duration.ofMillis(800), () -> {
      if (calls.get() % 2 == 0) {
        limiter.acquire(1, 0).close();
      } else {
        limiter.acquireAsync(1, 0).get(10, TimeUnit.SECONDS).close();
      }
      calls.incrementAndGet();
    });
    ResourceStats stats = limiter.stats();
    assertThat(stats.granted()).isEqualTo(calls.get());
    assertThat(stats.waitTimes().totalCount()).isEqualTo(calls.get());
    assertThat(stats.waiting()).isZero();
    assertThat(stats.inFlight()).isZero();
  }

  interface Body {
    void run() throws Exception;
  }

  private static void runThreads(int threads, Duration duration, Body body) throws Exception {
    long end = System.nanoTime() + duration.toNanos();
    CountDownLatch done = new CountDownLatch(threads);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            body.run();
          }
        } catch (Throwable e) {
          failures.add(e);
        } finally {
          done.countDown();
        }
      });
      t.setDaemon(true);
      t.start();
    }
    assertThat(done.await(duration.toMillis() + 20_000, TimeUnit.MILLISECONDS)).as("threads finished").isTrue();
    assertThat(failures).isEmpty();
  }

  protected static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10s");
      }
      Thread.sleep(10);
    }
  }
}
