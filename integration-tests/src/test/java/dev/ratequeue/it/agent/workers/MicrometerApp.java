package dev.ratequeue.it.agent.workers;

import dev.ratequeue.micrometer.RateQueueMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Collectors;

/**
 * An application with its own Micrometer registry: it binds RateQueue's meters with one call, makes
 * {@code count=N} calls to {@code url=URI} with java.net.http, then prints every meter as
 * {@code METER name{tag=value,…} statistic=value …} and {@code DONE}. Without the agent it prints {@code BOUND 0}.
 */
public final class MicrometerApp {
  private MicrometerApp() {}

  public static void main(String[] args) throws Exception {
    String url = null;
    int count = 0;
    for (String a : args) {
      if (a.startsWith("url=")) {
        url = a.substring(4);
      } else if (a.startsWith("count=")) {
        count = Integer.parseInt(a.substring(6));
      }
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    System.out.println("BOUND " + RateQueueMetrics.bind(registry));
    System.out.println("READY");
    HttpClient client = HttpClient.newHttpClient();
    int ok = 0;
    int refused = 0;
    for (int i = 0; i < count; i++) {
      int status = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode();
      if (status == 429) {
        refused++;
      } else if (status == 200) {
        ok++;
      }
    }
    for (Meter meter : registry.getMeters()) {
      String tags = meter.getId().getTags().stream().map(t -> t.getKey() + "=" + t.getValue())
          .collect(Collectors.joining(","));
      StringBuilder line = new StringBuilder("METER ").append(meter.getId().getName()).append('{').append(tags)
          .append('}');
      for (Measurement m : meter.measure()) {
        line.append(' ').append(m.getStatistic().name().toLowerCase()).append('=').append(m.getValue());
      }
      System.out.println(line);
    }
    System.out.println("DONE ok=" + ok + " s429=" + refused);
    System.exit(0);
  }

}
