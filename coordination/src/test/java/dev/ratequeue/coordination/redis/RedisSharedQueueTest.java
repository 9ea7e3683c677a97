package dev.ratequeue.coordination.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.GrantTimes;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.RespConnection;
import dev.ratequeue.testing.StallMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several coordinators on one Redis, each a separate client as a separate JVM would be: the grant
 * of one client's call is often made by another client's script call and reaches it by pub/sub.
 * (The multi-process proof with real JVMs and kill -9 is in integration-tests.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisSharedQueueTest {
  private static final Duration LEASE_TTL = Duration.ofMillis(1500);
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();
  private final List<Coordinator> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(Coordinator::close);
  }

  private Coordinator client() {
    Coordinator c = Coordinator.create(redis.uri(), CoordinatorOptions.builder().leaseTtl(LEASE_TTL).build());
    clients.add(c);
    return c;
  }

  @Test
  void threeClientsShareOneRateWithoutExceedingOrWastingIt() throws Exception {
    ResourceLimits limits = ResourceLimits.builder("shared-rate").requests(60, Duration.ofSeconds(1)).build();
    ConcurrentLinkedQueue<Instant> grants = new ConcurrentLinkedQueue<>();
    StallMeter stalls = new StallMeter(Duration.ofMillis(20));
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3000);
    CountDownLatch done = new CountDownLatch(12);
    for (int c = 0; c < 3; c++) {
      ResourceLimiter limiter = client().limiter(limits);
      for (int t = 0; t < 4; t++) {
        new Thread(() -> {
          try {
            while (System.nanoTime() < end) {
              try (Permit p = limiter.acquire(1, 0)) {
                grants.add(p.grantedAt());
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            done.countDown();
          }
        }).start();
      }
    }
    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    List<Instant> sorted = new ArrayList<>(grants);
    Collections.sort(sorted);
    assertThat(GrantTimes.maxInAnyWindow(sorted, Duration.ofSeconds(1))).isLessThanOrEqualTo(60);
    GrantTimes.assertFullyUsed(sorted, Duration.ofNanos(1_000_000_000L / 60), stalls);
    stalls.close();
  }

  @Test
  void priorityOrderHoldsAcrossClients() throws Exception {
    ResourceLimits limits = ResourceLimits.builder("shared-priority").requests(100, Duration.ofSeconds(1)).build();
    ResourceLimiter low = client().limiter(limits);
    ResourceLimiter high = client().limiter(limits);
    ResourceLimiter medium = client().limiter(limits);
    low.pause(Duration.ofSeconds(30));
    List<CompletableFuture<Permit>> lows = new ArrayList<>();
    List<CompletableFuture<Permit>> highs = new ArrayList<>();
    List<CompletableFuture<Permit>> mediums = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      lows.add(low.acquireAsync(1, 1));
      mediums.add(medium.acquireAsync(1, 5));
      highs.add(high.acquireAsync(1, 10));
    }
    awaitTrue(() -> low.snapshot().queueDepth() == 30);
    medium.resume(); // any client may resume

    Instant lastHigh = latest(highs);
    Instant firstMedium = earliest(mediums);
    Instant lastMedium = latest(mediums);
    Instant firstLow = earliest(lows);
    assertThat(lastHigh).isBefore(firstMedium);
    assertThat(lastMedium).isBefore(firstLow);
    // FIFO within a priority, for calls one client enqueued one after the other.
    for (List<CompletableFuture<Permit>> same : List.of(lows, mediums, highs)) {
      for (int i = 1; i < same.size(); i++) {
        assertThat(same.get(i).get().grantedAt()).isAfter(same.get(i - 1).get().grantedAt());
      }
    }
  }

  @Test
  void aLimitChangedByOneClientGovernsTheOthersNextDecision() throws Exception {
    ResourceLimits slow = ResourceLimits.builder("shared-live").requests(1, Duration.ofSeconds(1)).build();
    ResourceLimiter operator = client().limiter(slow);
    ResourceLimiter worker = client().limiter(slow);
    worker.acquire().close();
    operator.updateLimits(slow.toBuilder().requests(100, Duration.ofSeconds(1)).build());
    long start = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      worker.acquire().close();
    }
    // At 1/s this is 20s; at 100/s 0.2s after the one turn the old rate had already set (1s).
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    awaitTrue(() -> worker.limits().requests().get().count() == 100);
  }

  @Test
  void aClientThatStopsHeartBeatingGivesItsLeasesAndQueuedCallsBack() throws Exception {
    ResourceLimits limits = ResourceLimits.builder("shared-dead").concurrency(3).build();
    Coordinator doomed = client();
    ResourceLimiter doomedLimiter = doomed.limiter(limits);
    for (int i = 0; i < 3; i++) {
      doomedLimiter.acquire(); // held, never closed
    }
    for (int i = 0; i < 4; i++) {
      doomedLimiter.acquireAsync(1, 0); // queued
    }
    ResourceLimiter survivor = client().limiter(limits);
    awaitTrue(() -> survivor.snapshot().queueDepth() == 4);

    // Closing the client abruptly sends nothing to Redis: from Redis' side it simply falls silent.
    doomed.close();
    long silentSince = System.nanoTime();
    List<Permit> taken = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      taken.add(survivor.acquireAsync(1, 0).get(10, TimeUnit.SECONDS));
    }
    Duration reclaimedAfter = Duration.ofNanos(System.nanoTime() - silentSince);
    // Within the lease TTL after the last heartbeat (at most TTL/3 before the close), plus a
    // generous 1s for the survivor's own wake-up on a busy machine.
    assertThat(reclaimedAfter).isLessThan(LEASE_TTL.plusSeconds(1));
    assertThat(survivor.snapshot().queueDepth()).isZero();
    assertThat(survivor.snapshot().liveClients()).isEqualTo(1);
    taken.forEach(Permit::close);
  }

  @Test
  void aGrantStillArrivesWhenEverySubscriberWasDisconnected() throws Exception {
    ResourceLimits limits = ResourceLimits.builder("shared-lost").concurrency(1).build();
    ResourceLimiter holder = client().limiter(limits);
    ResourceLimiter waiter = client().limiter(limits);
    Permit held = holder.acquire();
    CompletableFuture<Permit> waiting = waiter.acquireAsync(1, 0);
    awaitTrue(() -> holder.snapshot().queueDepth() == 1);
    // Drop every subscriber: a grant published before Lettuce resubscribes goes nowhere and is
    // found by the heartbeat check instead; one published after arrives by message. Either way it arrives.
    try (RespConnection admin = RespConnection.open(redis.server().host(), redis.server().port(), Duration.ofSeconds(2))) {
      admin.call("CLIENT", "KILL", "TYPE", "pubsub");
    }
    held.close();
    // The waiter re-checks calls older than a heartbeat (TTL/3) at each heartbeat.
    Permit late = waiting.get(LEASE_TTL.multipliedBy(2).toMillis() + 1000, TimeUnit.MILLISECONDS);
    assertThat(late.resource()).isEqualTo("shared-lost");
    late.close();
  }

  private static Instant latest(List<CompletableFuture<Permit>> futures) throws Exception {
    Instant latest = Instant.MIN;
    for (CompletableFuture<Permit> f : futures) {
      Instant at = f.get(10, TimeUnit.SECONDS).grantedAt();
      latest = at.isAfter(latest) ? at : latest;
    }
    return latest;
  }

  private static Instant earliest(List<CompletableFuture<Permit>> futures) throws Exception {
    Instant earliest = Instant.MAX;
    for (CompletableFuture<Permit> f : futures) {
      Instant at = f.get(10, TimeUnit.SECONDS).grantedAt();
      earliest = at.isBefore(earliest) ? at : earliest;
    }
    return earliest;
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10s");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aLimitChangeMadeByAnotherClientIsLoggedOnceByTheOthers() throws Exception {
    ResourceLimits limits = ResourceLimits.builder("logged-limits").requests(100, Duration.ofSeconds(1)).build();
    try (CapturedLog log = new CapturedLog()) {
      ResourceLimiter changer = client().limiter(limits);
      ResourceLimiter other = client().limiter(limits);
      other.acquire().close();
      changer.updateLimits(limits.toBuilder().requests(50, Duration.ofSeconds(1)).build());
      // The other client learns of it on its next decision.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!other.limits().requests().get().equals(dev.ratequeue.coordination.Rate.of(50, Duration.ofSeconds(1)))
          && System.nanoTime() < until) {
        other.acquire().close();
        Thread.sleep(20);
      }
      for (int i = 0; i < 5; i++) {
        other.acquire().close();
      }
      assertThat(log.lines(java.util.logging.Level.INFO).stream().filter(l -> l.contains("'logged-limits': limits in "
          + "coordinator")).collect(java.util.stream.Collectors.toList()))
          .singleElement().asString().contains("requests = 50/1s", "(were logged-limits { requests = 100/1s;");
    }
  }
}
