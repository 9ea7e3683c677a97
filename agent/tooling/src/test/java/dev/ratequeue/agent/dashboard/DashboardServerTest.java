package dev.ratequeue.agent.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DashboardServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(DashboardServer server, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(server.address()).resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageItsScriptsAndChartsFromTheJarItself() throws Exception {
    try (DashboardServer server = DashboardServer.start("127.0.0.1", 0, () -> "{}".getBytes(StandardCharsets.UTF_8))) {
      HttpResponse<String> page = get(server, "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(page.body()).contains("dashboard.js", "uPlot.min.js").doesNotContain("http://", "https://");
      assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
          csp -> assertThat(csp).contains("default-src 'self'"));
      for (String asset : new String[] {"/dashboard.js", "/dashboard.css", "/uPlot.min.js", "/uPlot.min.css"}) {
        HttpResponse<String> r = get(server, asset);
        assertThat(r.statusCode()).as(asset).isEqualTo(200);
        assertThat(r.body()).as(asset).isNotEmpty();
      }
      assertThat(get(server, "/uPlot.min.js").body()).contains("uPlot");
      assertThat(get(server, "/nothing-here").statusCode()).isEqualTo(404);
      assertThat(get(server, "/../../etc/passwd").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void theStatusIsReadAtMostTwiceASecondHoweverManyPagesPoll() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    try (DashboardServer server = DashboardServer.start("127.0.0.1", 0,
        () -> ("{\"reading\":" + reads.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8))) {
      long start = System.nanoTime();
      int polls = 0;
      while (System.nanoTime() - start < 1_200_000_000L) {
        HttpResponse<String> r = get(server, "/api/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"reading\":");
        polls++;
        Thread.sleep(20);
      }
      // 1.2 s allows at most three readings (at 0, 0.5 and 1.0 s); a slow machine makes fewer, never more.
      assertThat(reads.get()).as("readings for %d polls", polls).isBetween(1, 3);
      assertThat(polls).isGreaterThan(reads.get());
    }
  }

  @Test
  void aStatusThatCannotBeReadIsA503WithTheReasonAndTheServerIsReadOnly() throws Exception {
    try (DashboardServer server = DashboardServer.start("127.0.0.1", 0, () -> {
      throw new IllegalStateException("coordinator redis://127.0.0.1:1 unreachable");
    })) {
      HttpResponse<String> r = get(server, "/api/status");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("\"error\"", "unreachable");
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.address()).resolve("/api/status"))
          .POST(HttpRequest.BodyPublishers.ofString("requests=1/1s")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void bindsToLoopbackWhenAskedToAndSaysWhere() throws Exception {
    try (DashboardServer server = DashboardServer.start("127.0.0.1", 0, () -> new byte[0])) {
      assertThat(server.address()).startsWith("http://127.0.0.1:").endsWith("/");
      assertThat(server.port()).isPositive();
    }
  }
}
