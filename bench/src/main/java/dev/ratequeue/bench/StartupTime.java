package dev.ratequeue.bench;

import com.sun.net.httpserver.HttpServer;
import dev.ratequeue.testing.RedisServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * JVM start-up with and without the agent, in one run: {@link StartupApp} (one OkHttp call to a local server,
 * then exit) started {@code --runs} times in each configuration, the configurations taking turns so that the
 * machine's mood hits them alike. Three times are taken per start: until {@code main} begins (the premain's
 * cost), until the call is answered (the interceptor installed into OkHttp, and a permit taken when the host is
 * mapped) and until the process exits, all measured from the spawn, by this harness's clock.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.ratequeue.bench.StartupTime [--runs 10] [--agent PATH] [--smoke]
 * </pre>
 */
public final class StartupTime {
  private StartupTime() {}

  public static void main(String[] args) throws Exception {
    run(args);
    System.exit(0);
  }

  static void run(String[] args) throws Exception {
    int runs = 10;
    Path agent = Paths.get("agent", "jar", "target", "ratequeue-agent.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs":
          runs = Integer.parseInt(args[++i]);
          break;
        case "--agent":
          agent = Paths.get(args[++i]);
          break;
        case "--smoke":
          runs = 1;
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i] + "; expected --runs N, --agent PATH, --smoke");
      }
    }
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException(agent.toAbsolutePath() + " is missing: build with mvn -q install -DskipTests");
    }
    System.setProperty("sun.net.httpserver.nodelay", "true"); // see OkHttpCallBenchmark
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/", exchange -> {
      byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    String host = "127.0.0.1:" + server.getAddress().getPort();
    RedisServer redis = RedisServer.start();
    Path dir = Files.createTempDirectory("ratequeue-startup-");
    try {
      Map<String, List<String>> configs = new LinkedHashMap<>();
      configs.put("no agent", Collections.emptyList());
      configs.put("agent, host not mapped", agentArgs(agent, config(dir, "unmapped", "local", "api.example.com")));
      configs.put("agent, mapped, local", agentArgs(agent, config(dir, "local", "local", host)));
      configs.put("agent, mapped, Redis", agentArgs(agent, config(dir, "redis", redis.uri(), host)));
      Map<String, List<long[]>> times = new LinkedHashMap<>();
      String classpath = System.getProperty("java.class.path");
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      // One start of each first, not counted: the page cache and the jars' first reads.
      for (int run = -1; run < runs; run++) {
        for (Map.Entry<String, List<String>> c : configs.entrySet()) {
          long[] t = start(java, classpath, c.getValue(), "http://" + host + "/v1/items");
          if (run >= 0) {
            times.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(t);
          }
        }
      }
      report(System.out, times, runs);
    } finally {
      redis.stop();
      server.stop(0);
      for (File f : dir.toFile().listFiles()) {
        f.delete();
      }
      dir.toFile().delete();
    }
  }

  private static Path config(Path dir, String name, String coordinator, String match) throws Exception {
    Path file = dir.resolve(name + ".properties");
    Files.write(file, Arrays.asList("ratequeue.coordinator = " + coordinator,
        "ratequeue.resources.api.match = " + match, "ratequeue.resources.api.requests = 1000/1s",
        "ratequeue.log.level = warn"), StandardCharsets.UTF_8);
    return file;
  }

  private static List<String> agentArgs(Path agent, Path config) {
    return Collections.singletonList("-javaagent:" + agent.toAbsolutePath() + "=" + config);
  }

  /** {main, called, exited} in milliseconds after the spawn. */
  private static long[] start(String java, String classpath, List<String> jvmArgs, String url) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmArgs);
    command.addAll(Arrays.asList("-cp", classpath, StartupApp.class.getName(), url));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    long main = -1;
    long called = -1;
    List<String> output = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        output.add(line);
        if (line.startsWith("MAIN ")) {
          String[] f = line.split(" ");
          long uptimeMain = Long.parseLong(f[1]);
          long uptimeCalled = Long.parseLong(f[3]);
          long now = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
          // Uptime counts from the JVM's own start, a few ms after the spawn: anchor it at the spawn.
          called = now;
          main = now - (uptimeCalled - uptimeMain);
        }
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || called < 0) {
      throw new IllegalStateException("the application failed with " + jvmArgs + ": " + output);
    }
    return new long[] {main, called, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)};
  }

  private static void report(PrintStream out, Map<String, List<long[]>> times, int runs) {
    out.println("Machine: " + Machine.describe());
    out.println();
    out.println("| configuration (" + runs + " starts each, medians) | main begins ms | call answered ms | exit ms "
        + "| exit ÷ no agent |");
    out.println("|---|---:|---:|---:|---:|");
    double base = median(times.get("no agent"), 2);
    for (Map.Entry<String, List<long[]>> e : times.entrySet()) {
      out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.2f |%n", e.getKey(), median(e.getValue(), 0),
          median(e.getValue(), 1), median(e.getValue(), 2), median(e.getValue(), 2) / base);
    }
  }

  private static double median(List<long[]> runs, int field) {
    long[] v = runs.stream().mapToLong(t -> t[field]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }
}
