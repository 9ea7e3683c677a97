package dev.ratequeue.agent.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The dashboard's HTTP side: one page, its script and style, uPlot from the jar (no CDN: the page works with
 * no internet), and {@code /api/status}, the fleet's status as JSON, which the page polls every second.
 *
 * <p>Read-only: nothing served here changes a limit, so no token is needed; {@code set}, {@code pause} and
 * {@code resume} stay with the command line, which an operator runs with the coordinator's credentials.
 * It binds to loopback unless told otherwise, since the page shows resource names and traffic.
 *
 * <p>The JDK's own server ({@code jdk.httpserver}): a few requests a second from a handful of browsers need
 * nothing more, and the agent jar stays free of a web framework.
 */
public final class DashboardServer implements AutoCloseable {
  static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

  private static final Map<String, Asset> ASSETS = new HashMap<>();

  static {
    ASSETS.put("/", new Asset("dev/ratequeue/agent/dashboard/index.html", "text/html; charset=utf-8"));
    ASSETS.put("/dashboard.js", new Asset("dev/ratequeue/agent/dashboard/dashboard.js", "text/javascript; charset=utf-8"));
    ASSETS.put("/dashboard.css", new Asset("dev/ratequeue/agent/dashboard/dashboard.css", "text/css; charset=utf-8"));
    ASSETS.put("/uPlot.min.js", new Asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));
    ASSETS.put("/uPlot.min.css", new Asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final StatusCache status;

  private DashboardServer(HttpServer server, ExecutorService executor, StatusCache status) {
    this.server = server;
    this.executor = executor;
    this.status = status;
  }

  /**
   * @param status the fleet's status as JSON; asked at most every {@link StatusCache#MAX_AGE_NANOS}, however
   *     many pages poll
   */
  public static DashboardServer start(String host, int port, Supplier<byte[]> status) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "ratequeue-dashboard");
      t.setDaemon(true);
      return t;
    });
    DashboardServer dashboard = new DashboardServer(server, executor, new StatusCache(status));
    server.createContext("/", dashboard::handle);
    server.setExecutor(executor);
    server.start();
    return dashboard;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String address() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
  }

  private void handle(HttpExchange e) throws IOException {
    try {
      if (!"GET".equals(e.getRequestMethod()) && !"HEAD".equals(e.getRequestMethod())) {
        e.getResponseHeaders().set("Allow", "GET, HEAD");
        send(e, 405, "text/plain; charset=utf-8", "read-only: GET only\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = e.getRequestURI().getPath();
      if (path.equals("/api/status")) {
        byte[] body;
        try {
          body = status.get();
        } catch (RuntimeException failure) {
          send(e, 503, "application/json", StatusError.json(failure));
          return;
        }
        send(e, 200, "application/json", body);
        return;
      }
      Asset asset = ASSETS.get(path);
      byte[] body = asset == null ? null : asset.read();
      if (body == null) {
        send(e, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      send(e, 200, asset.contentType, body);
    } finally {
      e.close(); // HttpExchange is AutoCloseable only from JDK 18
    }
  }

  private static void send(HttpExchange e, int status, String contentType, byte[] body) throws IOException {
    e.getResponseHeaders().set("Content-Type", contentType);
    e.getResponseHeaders().set("Cache-Control", "no-store");
    e.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    // Everything the page needs comes from here; nothing may load from elsewhere or frame it.
    e.getResponseHeaders().set("Content-Security-Policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    boolean head = "HEAD".equals(e.getRequestMethod());
    e.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = e.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** A file served from the agent's class path, read once. */
  private static final class Asset {
    final String resource;
    final String contentType;
    private volatile byte[] bytes;

    Asset(String resource, String contentType) {
      this.resource = resource;
      this.contentType = contentType;
    }

    byte[] read() throws IOException {
      byte[] b = bytes;
      if (b == null) {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(resource)) {
          if (in == null) {
            return null;
          }
          b = in.readAllBytes();
        }
        bytes = b;
      }
      return b;
    }
  }
}
