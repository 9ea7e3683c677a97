package dev.ratequeue.coordination.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.CoordinatorUnavailableException;
import dev.ratequeue.coordination.FailurePolicy;
import dev.ratequeue.coordination.GrantTimes;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.testing.FreePort;
import dev.ratequeue.testing.RedisCluster;
import dev.ratequeue.testing.RespConnection;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two coordinators (two clients, as two JVMs would be) on a real three-master Redis Cluster, with
 * resources whose keys live on different nodes. Every resource fails instead of falling back to a
 * local limit, so a call that did not go through the cluster cannot pass unnoticed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisClusterTest {
  private static final int MASTERS = 3;
  private static RedisCluster cluster;
  private final List<Coordinator> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start(MASTERS);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(Coordinator::close);
  }

  @Test
  void aRateHoldsAcrossClientsForResourcesOnDifferentNodes() throws Exception {
    List<String> names = List.of(resourceOn("cluster-rate", 0), resourceOn("cluster-rate", 1));
    Coordinator a = client();
    Coordinator b = client();
    Map<String, ConcurrentLinkedQueue<Instant>> grants = new ConcurrentHashMap<>();
    Map<Coordinator, ConcurrentLinkedQueue<Instant>> byClient = new ConcurrentHashMap<>();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
    CountDownLatch done = new CountDownLatch(names.size() * 2 * 2);
    for (String name : names) {
      ResourceLimits limits = limits(name).requests(20, Duration.ofSeconds(1)).build();
      for (Coordinator client : List.of(a, b)) {
        ResourceLimiter limiter = client.limiter(limits);
        for (int t = 0; t < 2; t++) {
          new Thread(() -> {
            try {
              while (System.nanoTime() < end) {
                try (Permit p = limiter.acquire(1, 0)) {
                  grants.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>()).add(p.grantedAt());
                  byClient.computeIfAbsent(client, c -> new ConcurrentLinkedQueue<>()).add(p.grantedAt());
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
    }
    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    for (String name : names) {
      List<Instant> sorted = new ArrayList<>(grants.get(name));
      Collections.sort(sorted);
      assertThat(GrantTimes.maxInAnyWindow(sorted, Duration.ofSeconds(1))).as(name).isLessThanOrEqualTo(20);
      // 2.5 s at one grant per 50 ms is 50: the rate is shared, not wasted.
      assertThat(sorted.size()).as(name).isGreaterThanOrEqualTo(40);
    }
    assertThat(byClient.get(a)).isNotEmpty();
    assertThat(byClient.get(b)).isNotEmpty();
  }

  @Test
  void aGrantMadeByTheOtherClientsCallArrivesByPubSubFromEveryNode() throws Exception {
    Coordinator a = client();
    Coordinator b = client();
    // One resource per node: whichever node this client subscribed on, most of these grants are
    // published on another node and must cross the cluster bus to reach it.
    for (int node = 0; node < MASTERS; node++) {
      ResourceLimits limits = limits(resourceOn("cluster-handoff", node)).concurrency(1).build();
      ResourceLimiter holder = a.limiter(limits);
      ResourceLimiter waiter = b.limiter(limits);
      Permit held = holder.acquire();
      CompletableFuture<Permit> waiting = waiter.acquireAsync(1, 0);
      awaitTrue(() -> holder.snapshot().queueDepth() == 1);
      long released = System.nanoTime();
      held.close();
      // The waiter's own heartbeat re-check comes only every lease TTL / 3 (5 s): within a second,
      // the grant made by the holder's call came by message.
      Permit granted = waiting.get(1, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(Duration.ofSeconds(1));
      granted.close();
    }
  }

  @Test
  void priorityOrderHoldsAcrossClients() throws Exception {
    ResourceLimits limits = limits(resourceOn("cluster-priority", 2)).requests(100, Duration.ofSeconds(1)).build();
    ResourceLimiter a = client().limiter(limits);
    ResourceLimiter b = client().limiter(limits);
    a.pause(Duration.ofSeconds(30));
    List<CompletableFuture<Permit>> lows = new ArrayList<>();
    List<CompletableFuture<Permit>> mediums = new ArrayList<>();
    List<CompletableFuture<Permit>> highs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      lows.add(a.acquireAsync(1, 1));
      highs.add(b.acquireAsync(1, 10));
      mediums.add((i % 2 == 0 ? a : b).acquireAsync(1, 5));
    }
    awaitTrue(() -> a.snapshot().queueDepth() == 30);
    b.resume();

    assertThat(latest(highs)).isBefore(earliest(mediums));
    assertThat(latest(mediums)).isBefore(earliest(lows));
  }

  @Test
  void everyClientIsLiveOnEveryNode() throws Exception {
    Coordinator a = client();
    Coordinator b = client();
    for (int node = 0; node < MASTERS; node++) {
      ResourceLimits limits = limits(resourceOn("cluster-live", node)).concurrency(5).build();
      ResourceLimiter first = a.limiter(limits);
      ResourceLimiter second = b.limiter(limits);
      first.acquire().close();
      second.acquire().close();
      assertThat(first.snapshot().liveClients()).isEqualTo(2);
      assertThat(second.snapshot().liveClients()).isEqualTo(2);
    }
  }

  @Test
  void aScriptFlushedOnEveryNodeIsReloadedWhereItIsNeeded() throws Exception {
    Coordinator a = client();
    Coordinator b = client();
    List<ResourceLimiter> limiters = new ArrayList<>();
    for (int node = 0; node < MASTERS; node++) {
      ResourceLimits limits = limits(resourceOn("cluster-noscript", node)).requests(1000, Duration.ofSeconds(1)).build();
      limiters.add(a.limiter(limits));
      limiters.add(b.limiter(limits));
    }
    for (ResourceLimiter limiter : limiters) {
      limiter.acquire().close();
    }
    String sha = scriptSha();
    for (int port : cluster.ports()) {
      assertThat(call(port, "SCRIPT", "EXISTS", sha)).isEqualTo(List.of(1L));
      assertThat(call(port, "SCRIPT", "FLUSH")).isEqualTo("OK");
    }
    // With on-coordinator-failure = fail, a NOSCRIPT that was not repaired would throw here.
    for (ResourceLimiter limiter : limiters) {
      limiter.acquire().close();
    }
    for (int port : cluster.ports()) {
      assertThat(call(port, "SCRIPT", "EXISTS", sha)).as("node %d", port).isEqualTo(List.of(1L));
    }
  }

  @Test
  void aNewClientLoadsTheScriptOnEveryNodeBeforeItsFirstCall() throws Exception {
    String sha = scriptSha();
    for (int port : cluster.ports()) {
      assertThat(call(port, "SCRIPT", "FLUSH")).isEqualTo("OK");
    }
    ResourceLimits limits = limits(resourceOn("cluster-preload", 0)).requests(1000, Duration.ofSeconds(1)).build();
    client().limiter(limits).acquire().close();
    // Only node 0 served a call: the others have the script from the load made when connecting.
    for (int port : cluster.ports()) {
      assertThat(call(port, "SCRIPT", "EXISTS", sha)).as("node %d", port).isEqualTo(List.of(1L));
    }
  }

  @Test
  void scriptCallsGoStraightToTheNodeServingTheirKeys() throws Exception {
    Coordinator a = client();
    Coordinator b = client();
    List<String> names = new ArrayList<>();
    for (int node = 0; node < MASTERS; node++) {
      names.add(resourceOn("cluster-route", node));
    }
    for (int port : cluster.ports()) {
      call(port, "CONFIG", "RESETSTAT");
    }
    for (String name : names) {
      ResourceLimits limits = limits(name).requests(1000, Duration.ofSeconds(1)).build();
      for (Coordinator client : List.of(a, b)) {
        for (int i = 0; i < 5; i++) {
          client.limiter(limits).acquire().close();
        }
      }
    }
    for (String name : names) {
      String key = "ratequeue:{" + name + "}:res";
      int port = cluster.portServing(SlotHash.getSlot(name));
      assertThat(call(port, "CLUSTER", "KEYSLOT", key)).isEqualTo((long) SlotHash.getSlot(name));
      assertThat(call(port, "EXISTS", key)).as(key).isEqualTo(1L);
    }
    for (int port : cluster.ports()) {
      assertThat((String) call(port, "INFO", "commandstats")).as("node %d", port).contains("cmdstat_evalsha:calls=");
      // Lettuce follows a MOVED or ASK by itself: only the server's error counts show it never had to.
      assertThat((String) call(port, "INFO", "errorstats")).as("node %d", port)
          .doesNotContain("errorstat_MOVED").doesNotContain("errorstat_ASK");
    }
  }

  @Test
  void aResourceWhoseSlotMovesToAnotherNodeFollowsIt() throws Exception {
    String name = resourceOn("cluster-moved", 0);
    ResourceLimits limits = limits(name).concurrency(1).build();
    ResourceLimiter a = client().limiter(limits);
    ResourceLimiter b = client().limiter(limits);
    a.acquire().close();
    b.acquire().close();
    int target = cluster.ports().get(1);
    // The new owner has never run the script: the NOSCRIPT must be repaired on it, not on the old one.
    assertThat(call(target, "SCRIPT", "FLUSH")).isEqualTo("OK");
    cluster.moveSlot(SlotHash.getSlot(name), target);

    Permit held = a.acquire();
    CompletableFuture<Permit> waiting = b.acquireAsync(1, 0);
    awaitTrue(() -> a.snapshot().queueDepth() == 1);
    held.close();
    waiting.get(1, TimeUnit.SECONDS).close();
    assertThat(call(target, "EXISTS", "ratequeue:{" + name + "}:res")).isEqualTo(1L);
  }

  @Test
  void aSeedThatIsDownIsSkippedAndAClusterThatIsDownFailsFast() throws Exception {
    int nobody = FreePort.find();
    String withDeadSeed = cluster.uri().replace("redis-cluster://", "redis-cluster://127.0.0.1:" + nobody + ",");
    Coordinator alive = Coordinator.create(withDeadSeed, CoordinatorOptions.defaults());
    clients.add(alive);
    alive.limiter(limits(resourceOn("cluster-seeds", 1)).concurrency(1).build()).acquire().close();

    Coordinator dead = Coordinator.create("redis-cluster://127.0.0.1:" + nobody, CoordinatorOptions.defaults());
    clients.add(dead);
    ResourceLimiter limiter = dead.limiter(limits("cluster-nowhere").concurrency(1).build());
    long start = System.nanoTime();
    assertThatThrownBy(limiter::acquire).isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessageContaining("cluster-nowhere");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theAdminFindsResourcesAndClientsOnEveryMaster() throws Exception {
    Coordinator a = client();
    List<String> names = new ArrayList<>();
    for (int node = 0; node < MASTERS; node++) {
      String name = resourceOn("cluster-admin", node);
      names.add(name);
      a.limiter(limits(name).requests(10, Duration.ofSeconds(1)).build()).acquire().close();
    }
    client().limiter(limits(names.get(0)).requests(10, Duration.ofSeconds(1)).build()).acquire().close();
    try (dev.ratequeue.coordination.admin.FleetAdmin admin = dev.ratequeue.coordination.admin.FleetAdmin.connect(
        cluster.uri(), CoordinatorOptions.defaults())) {
      assertThat(admin.resources()).as("a SCAN of every master").containsAll(names);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (admin.clients().size() < 2 && System.nanoTime() < end) {
        Thread.sleep(50);
      }
      assertThat(admin.clients()).hasSize(2);
      for (String name : names) {
        admin.pause(name, Duration.ofMinutes(1));
        assertThat(admin.resource(name).orElseThrow().snapshot().paused()).as(name).isTrue();
        admin.resume(name);
      }
      assertThat(admin.resource(names.get(0)).orElseThrow().snapshot().liveClients()).isEqualTo(2);
    }
  }

  private Coordinator client() {
    Coordinator c = Coordinator.create(cluster.uri(), CoordinatorOptions.defaults());
    clients.add(c);
    return c;
  }

  private static ResourceLimits.Builder limits(String name) {
    return ResourceLimits.builder(name).onCoordinatorFailure(FailurePolicy.FAIL);
  }

  /** A resource name whose keys live on the {@code node}th node: the name is the keys' hash tag. */
  private static String resourceOn(String base, int node) {
    int port = cluster.ports().get(node);
    for (int i = 0; ; i++) {
      String name = base + "-" + i;
      if (cluster.portServing(SlotHash.getSlot(name)) == port) {
        return name;
      }
    }
  }

  private static Object call(int port, String... command) throws IOException {
    try (RespConnection connection = cluster.openConnection(port, Duration.ofSeconds(2))) {
      return connection.call(command);
    }
  }

  private static String scriptSha() throws Exception {
    try (InputStream in = GrantScript.class.getResourceAsStream("ratequeue.lua")) {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(in.readAllBytes());
      return String.format("%040x", new BigInteger(1, digest));
    }
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
}
