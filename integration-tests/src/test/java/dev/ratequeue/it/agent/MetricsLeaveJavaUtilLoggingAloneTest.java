package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.it.agent.workers.LogManagerApp;
import dev.ratequeue.testing.FreePort;
import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's metrics must not initialise java.util.logging before the application chooses its manager: the
 * Prometheus endpoint runs (and is scraped) from the start, the MBeans come only with the first call, and the
 * application still gets its own LogManager.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MetricsLeaveJavaUtilLoggingAloneTest {
  @Test
  void theApplicationChoosesItsLogManagerAfterTheAgentStartedAndItsEndpointWasScraped() throws Exception {
    int port = FreePort.find();
    try (StrictUpstream upstream = StrictUpstream.builder().requests(100, Duration.ofSeconds(1)).start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "resources.upstream.match", upstream.hostAndPort(),
            "resources.upstream.requests", "50/1s"))) {
      List<String> jvmArgs = new ArrayList<>(workers.agentArgs());
      jvmArgs.add("-Dratequeue.metrics.prometheus.port=" + port);
      WorkerJvm app = workers.start(LogManagerApp.class, "log-manager-app", ClientLib.JDK_ONLY, jvmArgs,
          workers.configFile().resolveSibling("go"), "url=" + upstream.uri("/ok"));
      workers.awaitReady();
      HttpClient http = HttpClient.newHttpClient();
      URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // the endpoint starts in the background
      HttpResponse<String> page = null;
      while (page == null && System.nanoTime() < until) {
        try {
          page = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException notYet) {
          Thread.sleep(100);
        }
      }
      assertThat(page).as("a scrape of %s", metrics).isNotNull();
      assertThat(page.body()).contains("ratequeue_permits_granted_total{resource=\"upstream\"} 0");
      workers.go();
      app.awaitLine(l -> l.startsWith("DONE"), Duration.ofSeconds(60));
      assertThat(app.outputLines()).contains("LOGMANAGER " + LogManagerApp.Mine.class.getName(), "CALLED 200",
          "MBEAN dev.ratequeue:type=Resource,name=upstream true");
    }
  }
}
