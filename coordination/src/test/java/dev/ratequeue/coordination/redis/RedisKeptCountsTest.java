package dev.ratequeue.coordination.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.FailurePolicy;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.RespConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The script keeps limits, state and counts of its sets in one hash per resource ({@code <ns>:{<resource>}:res}):
 * how many calls wait ({@code qn}, the members of {@code q}), how many leases are held ({@code lf}, of {@code l}),
 * and times no later than the earliest heartbeat and lease expiry ({@code je}, {@code le}). Here the hash and the
 * sets are made to disagree the ways Redis allows (a key lost alone, a count off) and the decisions must stay right:
 * a count that is too high or a time that is too early only costs commands until it is set right; one that would
 * let calls past the limits or past the waiting calls is repaired by the next seed or heartbeat.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisKeptCountsTest {
  /** Heartbeats every 300 ms, so "by the next heartbeat" is quick to wait for. */
  private static final Duration LEASE_TTL = Duration.ofMillis(900);
  private static final Duration AWAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();
  private final List<Coordinator> clients = new ArrayList<>();
  private final List<CompletableFuture<Permit>> calls = new ArrayList<>();
  private RespConnection admin;

  @BeforeEach
  void connect() throws IOException {
    admin = RespConnection.open(redis.server().host(), redis.server().port(), Duration.ofSeconds(5));
  }

  @AfterEach
  void closeEverything() throws IOException {
    calls.forEach(call -> call.cancel(true));
    clients.forEach(Coordinator::close);
    admin.close();
  }

  private Coordinator client(Duration leaseTtl) {
    Coordinator c = Coordinator.create(redis.uri(), CoordinatorOptions.builder().leaseTtl(leaseTtl).build());
    clients.add(c);
    return c;
  }

  private static ResourceLimits.Builder limits(String name) {
    return ResourceLimits.builder(name).maxWait(Duration.ofSeconds(20)).onCoordinatorFailure(FailurePolicy.FAIL);
  }

  private CompletableFuture<Permit> queued(ResourceLimiter limiter) {
    CompletableFuture<Permit> call = limiter.acquireAsync(1, 0);
    calls.add(call);
    return call;
  }

  @Test
  void anUpdateRewritesTheLimitFieldsAndKeepsTheState() throws Exception {
    String name = "kept-update";
    ResourceLimiter limiter = client(LEASE_TTL).limiter(limits(name).requests(1, Duration.ofSeconds(30))
        .concurrency(5).build());
    limiter.acquire().close(); // the next turn is 30 s away
    assertThat(hget(name, "cc")).isEqualTo("5");
    String version = hget(name, "v");

    limiter.updateLimits(limits(name).requests(1, Duration.ofSeconds(20)).build());

    assertThat(hget(name, "cc")).as("a limit the update leaves out").isNull();
    assertThat(hget(name, "rp")).isEqualTo("20000000");
    assertThat(Long.parseLong(hget(name, "v"))).isEqualTo(Long.parseLong(version) + 1);
    assertThat(limiter.tryAcquire(1, 0)).as("the turn taken before the update still counts").isEmpty();
    // Limits set live (an update) win over a second JVM's configuration.
    ResourceLimiter other = client(LEASE_TTL).limiter(limits(name).requests(100, Duration.ofSeconds(1)).build());
    awaitTrue(() -> other.limits().requests().get().count() == 1, "the second JVM reads the limits in force");
    assertThat(hget(name, "rn")).isEqualTo("1");
  }

  @Test
  void aQueueLostBehindTheScriptsBackIsCountedRightByTheNextDispatch() throws Exception {
    String name = "kept-lost-queue";
    ResourceLimits limits = limits(name).concurrency(1).build();
    ResourceLimiter a = client(Duration.ofSeconds(30)).limiter(limits);
    ResourceLimiter b = client(Duration.ofSeconds(30)).limiter(limits);
    Permit held = a.acquire();
    queued(b);
    awaitTrue(() -> "1".equals(hget(name, "qn")), "the waiting call is counted");

    call("DEL", key(name, "q"));
    // Counted 1 while q is empty: the try asks q itself (nobody ahead), then the dispatch finds q empty.
    assertThat(a.tryAcquire(1, 0)).as("the slot is still held").isEmpty();
    assertThat(hget(name, "qn")).isEqualTo("0");
    held.close();
    try (Permit next = a.tryAcquire(1, 0).orElseThrow()) {
      assertThat(next.resource()).isEqualTo(name);
    }
  }

  @Test
  void aQueueCountedTooLowIsRepairedByTheNextHeartbeat() throws Exception {
    String name = "kept-low-queue";
    ResourceLimits limits = limits(name).concurrency(1).build();
    ResourceLimiter a = client(LEASE_TTL).limiter(limits);
    ResourceLimiter b = client(LEASE_TTL).limiter(limits);
    Permit held = a.acquire();
    CompletableFuture<Permit> waiting = queued(b);
    awaitTrue(() -> "1".equals(hget(name, "qn")), "the waiting call is counted");

    call("HSET", key(name, "res"), "qn", "0");
    held.close(); // the release sees nobody waiting, so it grants nobody
    waiting.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS).close();
    assertThat(hget(name, "qn")).isEqualTo("0");
  }

  @Test
  void aLostResourceHashIsSeededAgainAndCountsWhatWaitsAndWhatIsHeld() throws Exception {
    String name = "kept-lost-hash";
    ResourceLimits limits = limits(name).concurrency(1).build();
    ResourceLimiter a = client(Duration.ofSeconds(30)).limiter(limits);
    ResourceLimiter b = client(Duration.ofSeconds(30)).limiter(limits);
    Permit held = a.acquire();
    CompletableFuture<Permit> waiting = queued(b);
    awaitTrue(() -> "1".equals(hget(name, "qn")), "the waiting call is counted");

    call("DEL", key(name, "res"));
    // The next call finds no limits, seeds them and counts l and q again: the held slot still counts.
    // (A higher priority, so that the waiting call is not what refuses it.)
    assertThat(a.tryAcquire(1, 10)).as("concurrency 1 is held").isEmpty();
    assertThat(hget(name, "lf")).isEqualTo("1");
    assertThat(hget(name, "qn")).isEqualTo("1");
    assertThat(waiting).isNotDone();
    held.close();
    waiting.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS).close();
  }

  @Test
  void aLostLeaseSetHoldsCallsBackOnlyUntilTheNextHeartbeat() throws Exception {
    String name = "kept-lost-leases";
    ResourceLimits limits = limits(name).concurrency(1).build();
    ResourceLimiter a = client(LEASE_TTL).limiter(limits);
    Permit held = a.acquire();
    awaitTrue(() -> "1".equals(hget(name, "lf")), "the lease is counted");

    call("DEL", key(name, "l"));
    held.close(); // removes nothing: the count stays 1 until l is counted again
    try (Permit next = queued(a).get(AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      assertThat(hget(name, "lf")).isEqualTo("1");
    }
  }

  @Test
  void aCountThatGoesBelowZeroIsCountedAgainAtOnce() throws Exception {
    String name = "kept-below-zero";
    ResourceLimits limits = limits(name).concurrency(1).build();
    // No heartbeat (every lease-ttl/3) within the test: the repair must not wait for one.
    ResourceLimiter a = client(Duration.ofMinutes(5)).limiter(limits);
    Permit held = a.acquire();
    awaitTrue(() -> "1".equals(hget(name, "lf")), "the lease is counted");

    call("HSET", key(name, "res"), "lf", "0"); // as if a call had failed half-way
    held.close(); // a lease leaves l that the count did not know of
    // Left at -1, the count would let two calls hold the one slot.
    awaitTrue(() -> "0".equals(hget(name, "lf")), "l is counted again");
    try (Permit one = a.acquire()) {
      assertThat(a.tryAcquire(1, 0)).as("concurrency 1").isEmpty();
    }
  }

  /**
   * The earliest heartbeat expiry is kept as a time no later than it: a JVM whose lease TTL is shorter than
   * everyone else's lowers it, and a call blocked on a dead JVM's slot wakes at it, not at its own TTL.
   */
  @Test
  void aShortLivedJvmThatDiesIsFoundAtItsOwnExpiryNotAtTheOthers() throws Exception {
    String name = "kept-dead-short";
    ResourceLimits limits = limits(name).concurrency(1).build();
    ResourceLimiter survivor = client(Duration.ofSeconds(30)).limiter(limits);
    survivor.acquire().close();
    Coordinator doomed = client(LEASE_TTL);
    doomed.limiter(limits).acquire(); // held, never closed
    CompletableFuture<Permit> waiting = queued(survivor);
    awaitTrue(() -> "1".equals(hget(name, "qn")), "the survivor's call waits");

    doomed.close(); // sends nothing: from Redis' side it falls silent
    long silentSince = System.nanoTime();
    waiting.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS).close();
    // Within the doomed JVM's TTL after its last heartbeat, plus slack: the survivor's own TTL is 30 s.
    assertThat(Duration.ofNanos(System.nanoTime() - silentSince)).isLessThan(LEASE_TTL.plusSeconds(2));
    awaitTrue(() -> "0".equals(hget(name, "lf")), "the survivor's release is counted");
  }

  private static String key(String resource, String suffix) {
    return "ratequeue:{" + resource + "}:" + suffix;
  }

  private String hget(String resource, String field) {
    return (String) call("HGET", key(resource, "res"), field);
  }

  private Object call(String... command) {
    try {
      return admin.call(command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Timed out after " + AWAIT.toSeconds() + " s waiting until " + what);
      }
      Thread.sleep(10);
    }
  }
}
