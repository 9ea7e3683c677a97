package dev.ratequeue.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ratequeue.agent.log.AgentLog;
import dev.ratequeue.coordination.internal.RateQueueThreads;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} in the Prometheus text format, on the JDK's own HTTP server with one daemon
 * thread. The client library's {@code HTTPServer} is not used: it logs through java.util.logging,
 * which the agent must never initialise. A scrape reads the engine's counters where they are; it
 * never asks the coordinator.
 */
final class PrometheusEndpoint implements AutoCloseable {
  static final String PATH = "/metrics";

  private final HttpServer server;
  private final ExecutorService thread;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final List<? extends ResourceMetrics> resources;

  private PrometheusEndpoint(HttpServer server, ExecutorService thread, List<? extends ResourceMetrics> resources) {
    this.server = server;
    this.thread = thread;
    this.resources = resources;
  }

  /** Listens on {@code host:port}; an {@link IOException} when it cannot (the port is taken, say). */
  static PrometheusEndpoint start(String host, int port, List<? extends ResourceMetrics> resources) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService thread = Executors.newSingleThreadExecutor(RateQueueThreads.daemon("ratequeue-metrics"));
    PrometheusEndpoint endpoint = new PrometheusEndpoint(server, thread, resources);
    server.createContext(PATH, endpoint::handle);
    server.setExecutor(thread);
    server.start();
    return endpoint;
  }

  String address() {
    InetSocketAddress a = server.getAddress();
    return a.getHostString() + ":" + a.getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
      try {
        writer.write(body, PrometheusSnapshots.of(resources));
      } catch (RuntimeException e) {
        AgentLog.get().once("metrics-scrape", AgentLog.Level.WARN, "Could not build the /metrics page (" + e
            + "); logged once", e);
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(200, head ? -1 : body.size());
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          body.writeTo(out);
        }
      }
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
