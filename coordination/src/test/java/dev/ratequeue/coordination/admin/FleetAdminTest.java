package dev.ratequeue.coordination.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratequeue.coordination.ConfigurationException;
import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.FailurePolicy;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceSnapshot;
import dev.ratequeue.coordination.TestCloser;
import dev.ratequeue.coordination.UpstreamCounters;
import dev.ratequeue.testing.FreePort;
import dev.ratequeue.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin against a real Redis shared with worker coordinators: what it lists, what it changes, what it never is. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetAdminTest {
  private static final Duration AWAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();
  @RegisterExtension
  final TestCloser closer = new TestCloser();

  private Coordinator worker(String namespace) {
    return closer.add(Coordinator.create(redis.uri(), CoordinatorOptions.builder().namespace(namespace)
        .leaseTtl(Duration.ofSeconds(3)).clientVersion("test 1.0").build()));
  }

  private FleetAdmin admin(String namespace) {
    return closer.add(FleetAdmin.connect(redis.uri(), CoordinatorOptions.builder().namespace(namespace).build()));
  }

  private static ResourceLimits limits(String name) {
    return ResourceLimits.builder(name).requests(100, Duration.ofSeconds(1)).concurrency(3)
        .maxWait(Duration.ofSeconds(30)).onCoordinatorFailure(FailurePolicy.FAIL).build();
  }

  @Test
  void listsTheResourcesOfItsNamespaceOnly() throws Exception {
    Coordinator fleet = worker("fleet-a");
    fleet.limiter(limits("openai")).acquire().close();
    fleet.limiter(limits("github")).acquire().close();
    worker("fleet-b").limiter(limits("stripe")).acquire().close();

    assertThat(admin("fleet-a").resources()).containsExactly("github", "openai");
    assertThat(admin("fleet-b").resources()).containsExactly("stripe");
    assertThat(admin("fleet-a").resource("stripe")).isEmpty();
  }

  @Test
  void readsLimitsAndTheFleetWideSnapshotWithoutCountingAsAClient() throws Exception {
    String ns = "fleet-snap";
    ResourceLimiter limiter = worker(ns).limiter(limits("api"));
    Permit held = limiter.acquire();
    FleetAdmin admin = admin(ns);
    for (int i = 0; i < 5; i++) {
      ResourceState state = admin.resource("api").orElseThrow();
      assertThat(state.limits()).isEqualTo(limits("api"));
      assertThat(state.origin()).isEqualTo(LimitsOrigin.CONFIGURATION);
      assertThat(state.snapshot().inFlight()).isEqualTo(1);
      assertThat(state.snapshot().liveClients()).as("the admin never heart-beats").isEqualTo(1);
    }
    held.close();
    assertThat(limiter.snapshot().liveClients()).isEqualTo(1);
  }

  @Test
  void listsLiveClientsWithWhatTheyUseUntilTheyStop() throws Exception {
    String ns = "fleet-clients";
    Coordinator one = worker(ns);
    one.limiter(limits("a")).acquire().close();
    one.limiter(limits("b")).acquire().close();
    Coordinator two = worker(ns);
    two.limiter(limits("a")).acquire().close();
    FleetAdmin admin = admin(ns);
    awaitTrue(() -> admin.clients().size() == 2 && admin.clients().stream().anyMatch(c -> c.resources().size() == 2),
        "both clients with their resources");
    FleetClient first = admin.clients().stream().filter(c -> c.resources().size() == 2).findFirst().orElseThrow();
    assertThat(first.resources()).containsExactly("a", "b");
    assertThat(first.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(first.version()).isEqualTo("test 1.0");
    assertThat(first.host()).isNotEmpty();
    assertThat(first.jvm()).contains(System.getProperty("java.version"));
    assertThat(first.lastSeen()).isAfterOrEqualTo(first.started());

    two.close();
    awaitTrue(() -> admin.clients().size() == 1, "a stopped client leaves the list");
  }

  @Test
  void pausesAndResumesTheWholeFleet() throws Exception {
    String ns = "fleet-pause";
    ResourceLimiter limiter = worker(ns).limiter(limits("api"));
    limiter.acquire().close();
    FleetAdmin admin = admin(ns);
    admin.pause("api", Duration.ofHours(1));
    ResourceSnapshot paused = admin.resource("api").orElseThrow().snapshot();
    assertThat(paused.pausedFor()).isGreaterThan(Duration.ofMinutes(59));
    assertThat(limiter.tryAcquire(1, 0)).isEmpty();
    assertThat(limiter.acquireAsync(1, 0)).as("an hour is longer than max-wait: refused at once")
        .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(dev.ratequeue.coordination.MaxWaitExceededException.class);
    admin.resume("api");
    limiter.acquire().close();

    admin.pause("api", Duration.ofSeconds(20));
    CompletableFuture<Permit> waiting = limiter.acquireAsync(1, 0);
    closer.add(() -> waiting.cancel(true));
    awaitTrue(() -> admin.resource("api").orElseThrow().snapshot().queueDepth() == 1, "the call waits");
    admin.resume("api");
    waiting.get(10, TimeUnit.SECONDS).close();
    assertThat(admin.resource("api").orElseThrow().snapshot().paused()).isFalse();
  }

  @Test
  void updatesLimitsLiveForEveryJvm() throws Exception {
    String ns = "fleet-update";
    ResourceLimiter limiter = worker(ns).limiter(limits("api"));
    limiter.acquire().close();
    FleetAdmin admin = admin(ns);
    ResourceLimits halved = limits("api").toBuilder().requests(50, Duration.ofSeconds(1)).build();
    admin.updateLimits(halved);
    assertThat(admin.resource("api").orElseThrow().limits()).isEqualTo(halved);
    assertThat(admin.resource("api").orElseThrow().origin()).isEqualTo(LimitsOrigin.LIVE);
    awaitTrue(() -> {
      try {
        limiter.acquire().close();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return limiter.limits().equals(halved);
    }, "the worker reads the new limits");
  }

  @Test
  void refusesToChangeAResourceNobodySeeded() {
    FleetAdmin admin = admin("fleet-unknown");
    assertThatThrownBy(() -> admin.pause("nope", Duration.ofMinutes(1))).isInstanceOf(UnknownResourceException.class)
        .hasMessageContaining("'nope'");
    assertThatThrownBy(() -> admin.resume("nope")).isInstanceOf(UnknownResourceException.class);
    assertThatThrownBy(() -> admin.resetLimits("nope")).isInstanceOf(UnknownResourceException.class);
    assertThatThrownBy(() -> admin.updateLimits(limits("nope"))).isInstanceOf(UnknownResourceException.class);
    assertThat(admin.resources()).as("not created by the attempt").isEmpty();
  }

  @Test
  void failsFastWhenNothingListens() {
    int port = FreePort.find();
    long start = System.nanoTime();
    assertThatThrownBy(() -> FleetAdmin.connect("redis://user:s3cret@127.0.0.1:" + port,
        CoordinatorOptions.builder().commandTimeout(Duration.ofSeconds(2)).build()))
        .isInstanceOf(FleetUnreachableException.class)
        .hasMessageContaining("127.0.0.1:" + port).hasMessageNotContaining("s3cret");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void saysTheLocalCoordinatorHasNoFleetAndNamesABadUrl() {
    assertThatThrownBy(() -> FleetAdmin.connect("local", CoordinatorOptions.defaults()))
        .isInstanceOf(NotFleetWideException.class).hasMessageContaining("local");
    assertThatThrownBy(() -> FleetAdmin.connect("redis://u:s3cret@host:notaport", CoordinatorOptions.defaults()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("ratequeue.coordinator")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void addsUpWhatEveryJvmReportsOfTheUpstreamAndMergesTheirWaits() throws Exception {
    String ns = "fleet-telemetry";
    // 20 a second: the fifth call of a burst of five waits about 200 ms, in either JVM.
    ResourceLimits slow = ResourceLimits.builder("api").requests(20, Duration.ofSeconds(1))
        .maxWait(Duration.ofSeconds(30)).build();
    ResourceLimiter a = worker(ns).limiter(slow);
    ResourceLimiter b = worker(ns).limiter(slow);
    a.countUpstreamWith(counters(3, 1));
    b.countUpstreamWith(counters(4, 2));
    List<CompletableFuture<Permit>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(a.acquireAsync(1, 0));
      calls.add(b.acquireAsync(1, 0));
    }
    for (CompletableFuture<Permit> c : calls) {
      c.get(10, TimeUnit.SECONDS).close();
    }
    FleetAdmin admin = admin(ns);
    // Each JVM writes its record once a second.
    awaitTrue(() -> ResourceTelemetry.ofFleet("api", admin.clients()).waitCount() == 10, "10 waits reported");
    ResourceTelemetry fleet = ResourceTelemetry.ofFleet("api", admin.clients());
    assertThat(fleet.upstreamRefusals()).isEqualTo(7);
    assertThat(fleet.pauses()).isEqualTo(3);
    // Ten calls at 20/s: waits spread from 0 to about 450 ms; the slowest 1% is one of the last.
    assertThat(fleet.waitMillisAt(99)).isGreaterThan(250).isLessThan(5_000);
    assertThat(fleet.waitMillisAt(50)).isLessThan(fleet.waitMillisAt(99));
    assertThat(ResourceTelemetry.ofFleet("other", admin.clients()).waitCount()).isZero();
  }

  private static UpstreamCounters counters(long refusals, long pauses) {
    return new UpstreamCounters() {
      @Override
      public long upstreamRefusals() {
        return refusals;
      }

      @Override
      public long pauses() {
        return pauses;
      }
    };
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + AWAIT + ": " + what);
      }
      Thread.sleep(50);
    }
  }
}
