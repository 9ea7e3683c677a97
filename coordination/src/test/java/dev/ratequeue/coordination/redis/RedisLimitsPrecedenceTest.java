package dev.ratequeue.coordination.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.Rate;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.TestCloser;
import dev.ratequeue.coordination.admin.FleetAdmin;
import dev.ratequeue.coordination.admin.LimitsOrigin;
import dev.ratequeue.coordination.admin.ResourceState;
import dev.ratequeue.testing.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which limits a resource runs under when a JVM starts: limits set live win over every JVM's
 * configuration until reset; limits seeded from a configuration give way to the next JVM that starts
 * with a different one (the newest start wins, one log line naming old and new); a reset hands the
 * resource back to the configuration of the JVMs that run. A "JVM" here is a coordinator with one
 * limiter: closing it and creating another is a restart as Redis sees it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisLimitsPrecedenceTest {
  private static final Duration AWAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();
  @RegisterExtension
  final TestCloser closer = new TestCloser();

  private ResourceLimiter start(ResourceLimits configured) {
    return jvm().limiter(configured);
  }

  private Coordinator jvm() {
    return closer.add(Coordinator.create(redis.uri(), CoordinatorOptions.builder().leaseTtl(Duration.ofSeconds(3))
        .build()));
  }

  private FleetAdmin admin() {
    return closer.add(FleetAdmin.connect(redis.uri(), CoordinatorOptions.defaults()));
  }

  private static ResourceLimits perSecond(String name, int n) {
    return ResourceLimits.builder(name).requests(n, Duration.ofSeconds(1)).build();
  }

  private ResourceState stored(FleetAdmin admin, String name) {
    return admin.resource(name).orElseThrow();
  }

  @Test
  void limitsSetLiveSurviveAJvmRestartingWithItsOldConfiguration() throws Exception {
    String name = "live-wins";
    Coordinator firstJvm = jvm();
    firstJvm.limiter(perSecond(name, 10)).acquire().close();
    FleetAdmin admin = admin();
    admin.updateLimits(perSecond(name, 5));
    assertThat(stored(admin, name).origin()).isEqualTo(LimitsOrigin.LIVE);
    closer.closeNow(firstJvm); // the first JVM stops

    try (CapturedLog log = new CapturedLog()) {
      ResourceLimiter restarted = start(perSecond(name, 10));
      restarted.acquire().close();
      awaitTrue(() -> restarted.limits().requests().get().equals(Rate.of(5, Duration.ofSeconds(1))),
          "the restarted JVM runs under the live limits");
      assertThat(stored(admin, name).limits().requests()).contains(Rate.of(5, Duration.ofSeconds(1)));
      assertThat(stored(admin, name).origin()).isEqualTo(LimitsOrigin.LIVE);
      assertThat(log.lines(Level.INFO)).filteredOn(l -> l.contains("'" + name + "'")).singleElement()
          .satisfies(l -> assertThat(l).contains("set live win", "5/1s", "10/1s"));
    }
  }

  @Test
  void aJvmStartingWithADifferentConfigurationReplacesConfiguredLimits() throws Exception {
    String name = "newest-start-wins";
    ResourceLimiter old = start(perSecond(name, 10));
    old.acquire().close();
    FleetAdmin admin = admin();
    String version = String.valueOf(admin.resource(name).orElseThrow().limits());

    try (CapturedLog log = new CapturedLog()) {
      ResourceLimiter redeployed = start(perSecond(name, 20));
      redeployed.acquire().close();
      assertThat(stored(admin, name).limits().requests()).contains(Rate.of(20, Duration.ofSeconds(1)));
      assertThat(stored(admin, name).origin()).isEqualTo(LimitsOrigin.CONFIGURATION);
      assertThat(log.lines(Level.INFO)).filteredOn(l -> l.contains("'" + name + "'")).singleElement()
          .satisfies(l -> assertThat(l).contains("replaces", "was: " + name + " { requests = 10/1s",
              "now: " + name + " { requests = 20/1s"));
      // The JVM still running with the old file follows on its next decision.
      awaitTrue(() -> {
        try {
          old.acquire().close();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return old.limits().requests().get().perSecond() == 20;
      }, "the running JVM takes the new limits");
    }
    assertThat(version).contains("10/1s");
  }

  @Test
  void aJvmStartingWithTheSameConfigurationChangesNothing() throws Exception {
    String name = "same-config";
    start(perSecond(name, 10)).acquire().close();
    FleetAdmin admin = admin();
    try (CapturedLog log = new CapturedLog()) {
      ResourceLimiter second = start(perSecond(name, 10));
      second.acquire().close();
      assertThat(log.lines(Level.INFO)).filteredOn(l -> l.contains("'" + name + "'")).isEmpty();
    }
    assertThat(stored(admin, name).origin()).isEqualTo(LimitsOrigin.CONFIGURATION);
  }

  @Test
  void aResetHandsTheResourceBackToTheConfigurationOfTheRunningJvms() throws Exception {
    String name = "reset-to-config";
    ResourceLimiter worker = start(perSecond(name, 10));
    worker.acquire().close();
    FleetAdmin admin = admin();
    admin.updateLimits(perSecond(name, 4));
    awaitTrue(() -> {
      try {
        worker.acquire().close();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return worker.limits().requests().get().count() == 4;
    }, "the worker runs under the live limits");

    admin.resetLimits(name);
    awaitTrue(() -> {
      try {
        worker.acquire().close();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return worker.limits().requests().get().count() == 10
          && admin.resource(name).map(s -> s.origin() == LimitsOrigin.CONFIGURATION).orElse(false);
    }, "the worker seeds its configuration again");
    assertThat(stored(admin, name).limits().requests()).contains(Rate.of(10, Duration.ofSeconds(1)));

    // And a later JVM with another configuration replaces it, as configured limits always are.
    start(perSecond(name, 12)).acquire().close();
    assertThat(stored(admin, name).limits().requests()).contains(Rate.of(12, Duration.ofSeconds(1)));
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
