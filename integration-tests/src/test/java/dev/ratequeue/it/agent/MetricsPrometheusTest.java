package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.FreePort;
import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ratequeue.metrics.prometheus.port}: a worker under load serves {@code /metrics}; the test scrapes it as
 * Prometheus would while the worker runs and once it is done, and checks the counters against the upstream's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MetricsPrometheusTest {
  private static final long RUN_MILLIS = 5_000;
  private static final String RESOURCE = "upstream";

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private AgentWorkers workers(StrictUpstream upstream) {
    return new AgentWorkers(AgentWorkers.settings(
        "coordinator", redis.uri(),
        "namespace", "it-metrics-prometheus-" + System.nanoTime(),
        "resources." + RESOURCE + ".match", upstream.hostAndPort(),
        "resources." + RESOURCE + ".requests", "20/1s",
        "resources." + RESOURCE + ".concurrency", "4",
        "resources." + RESOURCE + ".max-wait", "30s"));
  }

  private WorkerJvm start(AgentWorkers workers, StrictUpstream upstream, int port, Path linger) {
    List<String> jvmArgs = new ArrayList<>(workers.agentArgs());
    jvmArgs.add("-Dratequeue.metrics.prometheus.port=" + port);
    return workers.start("metrics-prometheus", ClientLib.OKHTTP_4, jvmArgs, workers.configFile().resolveSibling("go"),
        "client=okhttp", "mode=sync", "threads=8", "url=" + upstream.uri("/ok"), "runMillis=" + RUN_MILLIS,
        "worker=1", "warmup=" + upstream.uri("/ok?tag=warmup"), "linger=" + linger);
  }

  private Exposition scrape(int port) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return Exposition.parse(response.body());
  }

  @Test
  void slashMetricsCountsWhatTheUpstreamSawAndGrowsBetweenScrapes() throws Exception {
    int port = FreePort.find();
    try (StrictUpstream upstream = StrictUpstream.builder().requests(10, Duration.ofSeconds(1)).retryAfter("1").start();
        AgentWorkers workers = workers(upstream)) {
      Path linger = workers.configFile().resolveSibling("linger");
      WorkerJvm worker = start(workers, upstream, port, linger);
      try {
        workers.awaitReady();
        Exposition before = scrape(port);
        assertThat(before.type("ratequeue_permits_granted_total")).isEqualTo("counter");
        assertThat(before.type("ratequeue_wait_seconds")).isEqualTo("summary");
        assertThat(before.type("ratequeue_calls_waiting")).isEqualTo("gauge");
        assertThat(before.value("ratequeue_permits_granted_total", "resource", RESOURCE)).isEqualTo(1); // warm-up
        assertThat(before.value("ratequeue_coordinator_up", "resource", RESOURCE)).isEqualTo(1);
        assertThat(before.value("ratequeue_limit_requests_per_second", "resource", RESOURCE)).isEqualTo(20);
        assertThat(before.value("ratequeue_limit_concurrency", "resource", RESOURCE)).isEqualTo(4);
        workers.go();

        // Two scrapes a second apart, inside the run: the counter grows (20 grants a second, less the pauses).
        Thread.sleep(1_500);
        Exposition first = scrape(port);
        Thread.sleep(1_000);
        Exposition second = scrape(port);
        double grantedFirst = first.value("ratequeue_permits_granted_total", "resource", RESOURCE);
        assertThat(grantedFirst).isGreaterThan(1);
        assertThat(second.value("ratequeue_permits_granted_total", "resource", RESOURCE)).isGreaterThan(grantedFirst);
        assertThat(second.value("ratequeue_wait_seconds_count", "resource", RESOURCE))
            .isGreaterThan(first.value("ratequeue_wait_seconds_count", "resource", RESOURCE));
        // 8 threads, 4 slots and 20 grants a second: there is always a queue.
        assertThat(Math.max(first.value("ratequeue_calls_waiting", "resource", RESOURCE),
            second.value("ratequeue_calls_waiting", "resource", RESOURCE))).isPositive();

        worker.awaitLine(l -> l.startsWith("DONE"), Duration.ofMillis(RUN_MILLIS).plusSeconds(60));
        Exposition last = scrape(port);
        long arrivals = upstream.arrivals().size();
        long refused = upstream.count(429);
        assertThat(refused).as("the upstream refused calls (the resource allows twice its limit)").isPositive();
        assertThat(last.value("ratequeue_permits_granted_total", "resource", RESOURCE)).isEqualTo(arrivals);
        assertThat(last.value("ratequeue_upstream_refusals_total", "resource", RESOURCE)).isEqualTo(refused);
        assertThat(last.value("ratequeue_pauses_total", "resource", RESOURCE)).isBetween(1.0, (double) refused);
        assertThat(last.value("ratequeue_permits_in_flight", "resource", RESOURCE)).isZero();
        assertThat(last.value("ratequeue_calls_waiting", "resource", RESOURCE)).isZero();
        assertThat(last.value("ratequeue_permits_rejected_total", "resource", RESOURCE, "reason", "max-wait")).isZero();
        assertThat(last.value("ratequeue_wait_seconds_count", "resource", RESOURCE)).isEqualTo(arrivals);
        double p50 = last.value("ratequeue_wait_seconds", "resource", RESOURCE, "quantile", "0.5");
        double p99 = last.value("ratequeue_wait_seconds", "resource", RESOURCE, "quantile", "0.99");
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(last.value("ratequeue_wait_max_seconds", "resource", RESOURCE)).isGreaterThanOrEqualTo(p99 * 0.99);
      } finally {
        Files.createFile(linger);
      }
      assertThat(worker.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(worker.errorLines()).anyMatch(l -> l.contains("Prometheus metrics at http://127.0.0.1:" + port + "/metrics"));
    }
  }

  @Test
  void aPortInUseIsLoggedOnceAndTheWorkerRunsLimitedAsBefore() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        StrictUpstream upstream = StrictUpstream.builder().requests(100, Duration.ofSeconds(1)).start();
        AgentWorkers workers = workers(upstream)) {
      Path linger = workers.configFile().resolveSibling("linger");
      Files.createFile(linger);
      WorkerJvm worker = start(workers, upstream, taken.getLocalPort(), linger);
      workers.awaitReady();
      workers.go();
      WorkerResult done = WorkerResult.parse(worker.name(),
          worker.awaitLine(l -> l.startsWith("DONE"), Duration.ofMillis(RUN_MILLIS).plusSeconds(60)),
          worker.outputLines());
      assertThat(worker.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(done.ok).as("calls made, and limited: at most 20/s for %s ms, plus the warm-up and a margin of "
          + "one second's worth for the run's edges", RUN_MILLIS).isPositive().isLessThanOrEqualTo(20 * RUN_MILLIS / 1000 + 21);
      assertThat(worker.errorLines().stream().filter(l -> l.contains("ratequeue.metrics.prometheus.port = "
          + taken.getLocalPort())).count()).as("lines about the port").isEqualTo(1);
    }
  }
}
