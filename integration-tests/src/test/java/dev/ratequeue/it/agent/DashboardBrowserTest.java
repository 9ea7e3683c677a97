package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ratequeue.testing.FreePort;
import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.StrictUpstream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as an operator opens it: {@code java -jar ratequeue-agent.jar dashboard} beside a running fleet of
 * three worker JVMs, the page in a real (headless) chromium. What the page shows agrees with {@code status --json},
 * and its charts move. A screenshot of the page under load is left in {@code target/dashboard.png}.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DashboardBrowserTest {
  private static final int UPSTREAM_LIMIT = 30;
  private static final int RESOURCE_LIMIT = 27;
  private static final int CONCURRENCY = 4;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Waits are merged over 10-20 s windows: 25 s after the start they are those of the steady state. */
  private static final long STEADY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(25);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void thePageShowsWhatStatusSaysAndItsChartsMove() throws Exception {
    HeadlessChromium.assumeInstalled();
    String namespace = "it-dashboard-" + System.nanoTime();
    try (StrictUpstream upstream = StrictUpstream.builder().requests(UPSTREAM_LIMIT, Duration.ofSeconds(1)).start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "coordinator", redis.uri(),
            "namespace", namespace,
            "resources.upstream.match", upstream.hostAndPort(),
            "resources.upstream.requests", RESOURCE_LIMIT + "/1s",
            "resources.upstream.concurrency", Integer.toString(CONCURRENCY)))) {
      for (int i = 1; i <= 3; i++) {
        workers.start("dashboard-" + i, ClientLib.OKHTTP_4, "client=okhttp", "mode=sync", "threads=4",
            "url=" + upstream.uri("/ok"), "runMillis=150000", "worker=" + i, "warmup=" + upstream.uri("/ok?tag=warmup"));
      }
      workers.awaitReady();
      workers.go();
      long goNanos = System.nanoTime();
      String[] target = {"--coordinator", redis.uri(), "--namespace", namespace};
      Process dashboard = startDashboard(target);
      Path profile = Files.createTempDirectory("ratequeue-chromium-");
      ChromeDriver browser = HeadlessChromium.start(profile, 1400, 1250);
      try {
        browser.get(readAddress(dashboard));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
        // All three JVMs heart-beating, and traffic flowing for a few seconds of history.
        wait.until(b -> "3".equals(field(browser, "liveClients")));
        wait.until(b -> number(field(browser, "grantedPerSecond")) >= RESOURCE_LIMIT / 2.0);

        String before = chart(browser, "0");
        Thread.sleep(3_000);
        String after = chart(browser, "0");
        assertThat(after).as("the throughput chart after 3 s").isNotEqualTo(before);

        // The waits are of the last 10-20 s: let the start's surge (cold JVMs, every thread queueing at once) leave
        // them before comparing. Then the command first, and the page at its next reading after it.
        Thread.sleep(Math.max(0, STEADY_AFTER_NANOS - (System.nanoTime() - goNanos)) / 1_000_000);
        JsonNode status = statusJson(target);
        JsonNode resource = status.get("resources").get(0);
        long statusTakenAt = java.time.Instant.parse(status.get("takenAt").asText()).toEpochMilli();
        wait.until(b -> number(browser.findElement(By.id("updated")).getAttribute("data-taken-at")) > statusTakenAt);
        assertThat(resource.get("name").asText()).isEqualTo("upstream");
        assertThat(field(browser, "liveClients")).isEqualTo(resource.get("liveClients").asText()).isEqualTo("3");
        assertThat(number(field(browser, "requestsLimit")))
            .isEqualTo(resource.get("limits").get("requestsPerSecond").asDouble()).isEqualTo(RESOURCE_LIMIT);
        assertThat(field(browser, "inFlight")).endsWith("/ " + resource.get("limits").get("concurrency").asInt());
        assertThat(resource.get("paused").asBoolean()).isFalse();
        assertThat(field(browser, "pausedFor")).isEqualTo("no");
        // Rates move from one second to the next, and the page and the command read different seconds: both must
        // show the fleet near its limit (the workers keep 12 calls waiting for 27 a second).
        double pageGranted = number(field(browser, "grantedPerSecond"));
        double statusGranted = resource.get("grantedPerSecond").asDouble();
        for (double granted : new double[] {pageGranted, statusGranted}) {
          assertThat(granted).as("granted/s on the page (%s) and in status --json (%s)", pageGranted, statusGranted)
              .isBetween(0.5 * RESOURCE_LIMIT, 1.2 * RESOURCE_LIMIT);
        }
        assertThat(number(field(browser, "utilization").replace("%", "")))
            .as("utilization, %").isBetween(50.0, 120.0);
        // Waits: some 12 calls queue for 27 a second, so the slowest wait a few hundred ms. The page and the
        // command merge the JVMs' waits of overlapping 10-20 s windows: they agree within a factor of two.
        double pageP99 = number(field(browser, "waitP99Millis").replace("ms", ""));
        double statusP99 = resource.get("waitP99Millis").asDouble();
        assertThat(resource.get("waitCount").asLong()).as("waits reported by the JVMs").isPositive();
        assertThat(statusP99).as("wait p99 in status --json, ms").isBetween(20.0, 5_000.0);
        assertThat(pageP99).as("wait p99 on the page (status says %.0f ms)", statusP99)
            .isBetween(statusP99 / 2, statusP99 * 2);
        // 429s only ever grow: the page read before the command, the upstream counts every one.
        long statusRefusals = resource.get("upstreamRefusals").asLong();
        assertThat((long) number(field(browser, "upstreamRefusals"))).isLessThanOrEqualTo(statusRefusals);
        assertThat(statusRefusals).isLessThanOrEqualTo(upstream.count(429));

        Path shot = Paths.get("target", "dashboard.png");
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
        System.out.printf(Locale.ROOT, "dashboard: granted/s page %.1f, status %.1f; wait p99 page %.0f ms, status "
            + "%.0f ms; 429s %d; screenshot %s%n", pageGranted, statusGranted, pageP99, statusP99, statusRefusals,
            shot.toAbsolutePath());
      } finally {
        browser.quit();
        dashboard.destroy();
        dashboard.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Process startDashboard(String[] target) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(AgentWorkers.agentJar().toString());
    command.add("dashboard");
    command.add("--port");
    command.add(Integer.toString(FreePort.find()));
    command.addAll(List.of(target));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("RATEQUEUE_"));
    return pb.start();
  }

  /** The address the command prints once it serves: "RateQueue dashboard at http://127.0.0.1:P/ for …". */
  private static String readAddress(Process dashboard) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(dashboard.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        StringBuilder seen = new StringBuilder();
        for (String l; (l = out.readLine()) != null; ) {
          if (l.startsWith("RateQueue dashboard at ")) {
            return l.substring("RateQueue dashboard at ".length()).split(" ")[0];
          }
          seen.append(l).append('\n');
        }
        throw new AssertionError("the dashboard ended without serving:\n" + seen);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    return line.get(60, TimeUnit.SECONDS);
  }

  private static JsonNode statusJson(String[] target) throws IOException {
    List<String> args = new ArrayList<>(List.of("status", "--json"));
    args.addAll(List.of(target));
    AgentCli.Result r = AgentCli.run(args.toArray(new String[0]));
    assertThat(r.exitCode).as("status --json: %s", r).isZero();
    return JSON.readTree(r.out);
  }

  private static String field(ChromeDriver browser, String name) {
    List<WebElement> e = browser.findElements(By.cssSelector("[data-resource='upstream'] [data-field='" + name + "']"));
    return e.isEmpty() ? "" : e.get(0).getText().trim();
  }

  /** "1,041" or "27" or "–": the number shown, NaN when none. */
  private static double number(String shown) {
    try {
      return Double.parseDouble(shown.replace(",", "").trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** What a chart's canvas shows now, as a PNG data URL. */
  private static String chart(ChromeDriver browser, String index) {
    return (String) browser.executeScript("return document.querySelector(\"[data-resource='upstream'] "
        + "[data-chart='" + index + "'] canvas\").toDataURL();");
  }
}
