package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.StrictUpstream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code concurrency = 4} across two JVMs, each trying to run 8 calls at once against an upstream that refuses a
 * fifth concurrent request. Half the calls stream their body slowly: a call holds its slot until its body is
 * read to the end, not merely until its headers arrive. The slots must also come back promptly: the pair
 * together keeps the upstream near its concurrency, not far below it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ConcurrencyLimitTest {
  private static final int CONCURRENCY = 4;
  private static final long RUN_MILLIS = 4_000;
  private static final long DELAY_MILLIS = 50;

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientPath.class)
  void concurrencyIsNeverExceededAndSlotsComeBackWhenTheBodyIsDone(ClientPath path) {
    try (StrictUpstream upstream = StrictUpstream.builder().maxConcurrent(CONCURRENCY)
        .responseDelay(Duration.ofMillis(DELAY_MILLIS)).start()) {
      String urls = upstream.uri("/ok?tag=plain") + "," + upstream.uri("/stream?chunks=3&gap=20&tag=streamed");
      try (AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
          "coordinator", redis.uri(),
          "namespace", "it-concurrency-" + System.nanoTime(),
          "resources." + path.resource() + ".match", upstream.hostAndPort(),
          "resources." + path.resource() + ".concurrency", Integer.toString(CONCURRENCY)))) {
        for (int i = 1; i <= 2; i++) {
          workers.start(path.name().toLowerCase() + "-" + i, path.lib, path.args("url=" + urls, "threads=8",
              "inflight=8", "runMillis=" + RUN_MILLIS, "worker=" + i, "warmup=" + upstream.uri("/ok?tag=warmup")));
        }
        workers.awaitReady();
        workers.go();
        List<WorkerResult> results = workers.awaitDone(Duration.ofMillis(RUN_MILLIS).plusSeconds(60));

        assertThat(upstream.count(429)).as("requests over the upstream's concurrency; %s", results).isZero();
        assertThat(upstream.maxConcurrent()).as("most requests in flight at once").isLessThanOrEqualTo(CONCURRENCY);
        long ok = 0;
        for (WorkerResult r : results) {
          assertThat(r.failed + r.denied + r.other).as("calls that did not succeed: %s", r).isZero();
          ok += r.ok;
        }
        // A call takes 50 ms plus, for a streamed body, 60 ms more: 4 slots kept busy serve about 4 / 0.08 s =
        // 50 calls a second. Half of that leaves room for a busy machine; slots released only by their
        // max-hold, or a lease that outlived its call, would serve a handful.
        double perSecond = ok / (RUN_MILLIS / 1000.0);
        assertThat(perSecond).as("calls per second through %d slots", CONCURRENCY).isGreaterThan(25);
      }
    }
  }
}
