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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A try refused because the rates allow no call before some time answers this JVM's next tries until then (at most
 * 50 ms) without a script call, so a loop of tries against a full resource costs Redis almost nothing; the turn is
 * still taken when it comes, a resume made here is seen by the very next try, and one made by another JVM within
 * the memo's bound.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisTryRefusalTest {
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();
  private Coordinator coordinator;
  private RespConnection admin;

  @BeforeEach
  void connect() throws IOException {
    coordinator = Coordinator.create(redis.uri(), CoordinatorOptions.defaults());
    admin = RespConnection.open(redis.server().host(), redis.server().port(), Duration.ofSeconds(5));
  }

  @AfterEach
  void close() throws IOException {
    coordinator.close();
    admin.close();
  }

  private static ResourceLimits.Builder limits(String name) {
    return ResourceLimits.builder(name).maxWait(Duration.ofSeconds(20)).onCoordinatorFailure(FailurePolicy.FAIL);
  }

  @Test
  void triesInALoopTakeEveryTurnWithFewScriptCalls() throws Exception {
    // 10/s, smooth: a turn every 100 ms, so about 10 grants in a second of tries, whatever the loop's speed.
    ResourceLimiter limiter = coordinator.limiter(limits("try-loop").requests(10, Duration.ofSeconds(1)).build());
    limiter.acquire().close(); // seeded and connected: nothing of that belongs in the count
    long scriptsBefore = scriptCalls();
    int granted = 0;
    int tries = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (System.nanoTime() < end) {
      Optional<Permit> permit = limiter.tryAcquire(1, 0);
      tries++;
      if (permit.isPresent()) {
        permit.get().close();
        granted++;
      }
    }
    long scripts = scriptCalls() - scriptsBefore;
    // A turn every 100 ms in one second: 10, give or take the edges; a slow machine only makes a loop slower,
    // and a turn missed by the memo would show as fewer.
    assertThat(granted).as("grants in 1 s at 10/s").isBetween(8, 11);
    // Without the memo every try is one script call (tens of thousands here); with it, about one call per 50 ms
    // of refusals plus one per grant, and a heartbeat: 20 + 10 + a few. 60 leaves room for a slow machine.
    assertThat(tries).as("tries made").isGreaterThan(granted);
    assertThat(scripts).as("script calls for " + tries + " tries").isLessThanOrEqualTo(60);
  }

  @Test
  void aResumeHereIsSeenByTheNextTryAndOneElsewhereWithinTheMemosBound() throws Exception {
    // A rate far above what this test asks for, so that only the pause can refuse a try.
    ResourceLimits unbound = limits("try-resume").requests(1_000_000_000, Duration.ofSeconds(1)).build();
    ResourceLimiter limiter = coordinator.limiter(unbound);
    limiter.acquire().close();
    limiter.pause(Duration.ofHours(1));
    assertThat(limiter.tryAcquire(1, 0)).as("paused").isEmpty();
    limiter.resume();
    Optional<Permit> afterResume = limiter.tryAcquire(1, 0);
    assertThat(afterResume).as("a try right after a resume made in this JVM").isPresent();
    afterResume.get().close();

    // Paused and resumed by another JVM: this one learns of the resume when its memo of the refusal ends.
    try (Coordinator other = Coordinator.create(redis.uri(), CoordinatorOptions.defaults())) {
      ResourceLimiter elsewhere = other.limiter(unbound);
      elsewhere.pause(Duration.ofHours(1));
      assertThat(limiter.tryAcquire(1, 0)).as("paused by another JVM").isEmpty();
      elsewhere.resume();
      long resumed = System.nanoTime();
      Optional<Permit> later = Optional.empty();
      while (later.isEmpty() && System.nanoTime() - resumed < TimeUnit.SECONDS.toNanos(5)) {
        later = limiter.tryAcquire(1, 0);
      }
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumed);
      assertThat(later).as("a try after another JVM resumed").isPresent();
      later.get().close();
      // The memo lasts at most 50 ms; 1 s leaves a slow machine room for its round trips.
      assertThat(tookMillis).as("ms until the resume was seen").isLessThan(1000);
    }
  }

  private long scriptCalls() throws IOException {
    String stats = String.valueOf(admin.call("INFO", "commandstats"));
    for (String line : stats.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:")) {
        return Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
      }
    }
    return 0;
  }
}
