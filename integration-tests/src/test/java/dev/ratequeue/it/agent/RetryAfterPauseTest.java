package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A resource set three times above what the upstream allows: the first 429 pauses the resource for every JVM
 * for the server-given time, so after it the upstream hears nothing from either worker until the pause ends
 * (but for requests already granted or on the wire when it came).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RetryAfterPauseTest {
  private static final long RUN_MILLIS = 5_000;
  /** Requests granted within the lookahead, or in flight, before the pause reached Redis. */
  private static final long STRAGGLERS_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void retryAfterInSecondsPausesEveryWorker() {
    run(b -> b.retryAfter("2"), Duration.ofSeconds(2), null);
  }

  @Test
  void retryAfterAsAnHttpDatePausesEveryWorker() {
    // An HTTP date has whole seconds: 3 s ahead is at least 2 s away when it is read.
    run(b -> b.retryAfterHttpDate(Duration.ofSeconds(3)), Duration.ofSeconds(2), null);
  }

  @Test
  void anUnreadableRetryAfterPausesForTheDefaultAndIsLoggedOnce() {
    run(b -> b.retryAfter("soon"), Duration.ofSeconds(1), "unreadable Retry-After 'soon'");
  }

  private void run(Consumer<StrictUpstream.Builder> retryAfter, Duration expectedPause, String loggedOnce) {
    StrictUpstream.Builder b = StrictUpstream.builder().requests(10, Duration.ofSeconds(1));
    retryAfter.accept(b);
    try (StrictUpstream upstream = b.start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "coordinator", redis.uri(),
            "namespace", "it-retry-after-" + System.nanoTime(),
            "resources.upstream.match", upstream.hostAndPort(),
            "resources.upstream.requests", "30/1s"))) {
      for (int i = 1; i <= 2; i++) {
        workers.start("retry-after-" + i, ClientLib.OKHTTP_4, "client=okhttp", "mode=sync", "threads=4",
            "url=" + upstream.uri("/ok"), "runMillis=" + RUN_MILLIS, "worker=" + i,
            "warmup=" + upstream.uri("/ok?tag=warmup"));
      }
      workers.awaitReady();
      workers.go();
      workers.awaitDone(Duration.ofMillis(RUN_MILLIS).plusSeconds(60));
      List<StrictUpstream.Arrival> arrivals = upstream.arrivals().stream().filter(a -> !"warmup".equals(a.tag))
          .collect(Collectors.toList());
      Arrivals.save("retry-after-" + System.nanoTime(), arrivals);

      StrictUpstream.Arrival first429 = arrivals.stream().filter(a -> a.status == 429).findFirst().orElse(null);
      assertThat(first429).as("the upstream refused something (the resource is set above its limit)").isNotNull();
      long quietFrom = first429.nanos + STRAGGLERS_NANOS;
      long quietTo = first429.nanos + expectedPause.toNanos() - STRAGGLERS_NANOS;
      List<StrictUpstream.Arrival> duringPause = arrivals.stream()
          .filter(a -> a.nanos > quietFrom && a.nanos < quietTo).collect(Collectors.toList());
      assertThat(duringPause).as("requests while the resource was paused").isEmpty();
      assertThat(arrivals.stream().filter(a -> a.nanos >= quietTo).count())
          .as("requests after the pause (the workers resumed)").isPositive();
      assertThat(arrivals.stream().map(a -> a.worker).distinct().count()).as("workers heard from").isEqualTo(2);
      if (loggedOnce != null) {
        for (WorkerJvm w : workers.workers()) {
          assertThat(w.errorLines().stream().filter(l -> l.contains(loggedOnce)).count())
              .as("lines of %s saying %s", w.name(), loggedOnce).isLessThanOrEqualTo(1);
        }
        assertThat(workers.workers().stream().flatMap(w -> w.errorLines().stream())
            .anyMatch(l -> l.contains(loggedOnce))).as("some worker said %s", loggedOnce).isTrue();
      }
    }
  }
}
