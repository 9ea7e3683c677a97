package dev.ratequeue.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One OkHttp {@code execute()} to a local server on loopback: run by {@link AgentOverheadRun} in forks without
 * {@code -javaagent} and with it, the server's host mapped to a resource or not, so that the agent's cost on the
 * whole call path (advice in OkHttp's client and call, the network interceptor, the route lookup, and the permit
 * when the host is mapped) shows against a real call. The server answers from a thread pool of its own, in the
 * same fork.
 *
 * <p>When the system property {@value #STATS_PROPERTY} names a file, the fork writes there at the end how many
 * calls it made and what the agent's MBean of resource {@value #RESOURCE} counted, so the run can tell that a
 * mapped call really went through the limiter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OkHttpCallBenchmark {
  private HttpServer server;
  private ExecutorService serverThreads;
  private OkHttpClient client;
  private Request request;
  /** Warm-up included, like the agent's counters. */
  private long calls;

  static final String STATS_PROPERTY = "bench.agent.stats";
  /** The resource {@link AgentOverheadRun} maps the local server's host to. */
  static final String RESOURCE = "bench-local";

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    // Without it the JDK's server writes headers and body in two packets, and Nagle's algorithm meeting the
    // client's delayed ACK holds every response 40 ms: the benchmark would measure that.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
    serverThreads = Executors.newFixedThreadPool(2);
    server.setExecutor(serverThreads);
    server.createContext("/", exchange -> {
      byte[] body = "ok\n".getBytes();
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    client = new OkHttpClient();
    request = new Request.Builder().url("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/items").build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    String stats = System.getProperty(STATS_PROPERTY);
    if (stats != null) {
      Files.write(Paths.get(stats), AgentStats.read(RESOURCE, calls).lines(), StandardCharsets.UTF_8);
    }
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    server.stop(0);
    // Its threads are not daemons: left running, they keep the fork alive until JMH's 30 s shutdown timeout.
    serverThreads.shutdownNow();
  }

  @Benchmark
  public int call() throws IOException {
    calls++;
    try (Response response = client.newCall(request).execute()) {
      return response.body().string().length();
    }
  }
}
