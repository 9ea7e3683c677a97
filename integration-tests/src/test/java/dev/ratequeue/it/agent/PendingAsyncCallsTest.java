package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 2,000 asynchronous calls made at once against a limit of 5/s: they wait in RateQueue's queue, not on threads.
 * The worker counts its JVM's threads before the first call and two seconds after the last: the library's own
 * few (dispatcher, I/O reactor, selector) and the agent's own (timer, a completion pool no larger than the cores)
 * may appear, nothing that grows with the number of calls waiting.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PendingAsyncCallsTest {
  private static final int PENDING = 2_000;
  private static final int MAX_NEW_THREADS = 40;

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = ClientPath.class, names = {"OKHTTP_ENQUEUE", "HTTPCLIENT5_ASYNC", "JAVA_HTTP_SEND_ASYNC"})
  void twoThousandWaitingCallsHoldNoThreads(ClientPath path) {
    try (StrictUpstream upstream = StrictUpstream.builder().start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "coordinator", redis.uri(),
            "namespace", "it-pending-" + System.nanoTime(),
            "resources.upstream.match", upstream.hostAndPort(),
            "resources.upstream.requests", "5/1s",
            // 2,000 calls at 5/s take 400 s: a shorter max-wait would rightly refuse the last ones at once.
            "resources.upstream.max-wait", "10m"))) {
      WorkerJvm w = workers.start(path.name().toLowerCase(), path.lib, path.args(
          "url=" + upstream.uri("/ok"), "pending=" + PENDING, "warmup=" + upstream.uri("/ok?tag=warmup")));
      workers.awaitReady();
      workers.go();
      String line = w.awaitLine(l -> l.startsWith("THREADS"), Duration.ofSeconds(60));
      System.out.println(path + ": " + line);
      Map<String, Long> report = fields(line);
      assertThat(report.get("after") - report.get("before")).as("threads added while %d calls wait: %s", PENDING,
          line).isLessThanOrEqualTo(MAX_NEW_THREADS);
      // Two seconds at 5/s: about ten went through, the rest still wait for their turn.
      assertThat(report.get("completed")).as("calls done: %s", line).isBetween(3L, 30L);
      assertThat(report.get("failed") + report.get("denied")).as("calls failed: %s", line).isZero();
    }
  }

  private static Map<String, Long> fields(String line) {
    Map<String, Long> m = new HashMap<>();
    for (String f : line.substring("THREADS".length()).trim().split(" ")) {
      int eq = f.indexOf('=');
      m.put(f.substring(0, eq), Long.parseLong(f.substring(eq + 1)));
    }
    return m;
  }
}
