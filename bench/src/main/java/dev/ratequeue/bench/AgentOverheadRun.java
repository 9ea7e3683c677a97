package dev.ratequeue.bench;

import dev.ratequeue.testing.RedisServer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;
import org.openjdk.jmh.util.Statistics;

/**
 * The agent's whole cost on one OkHttp call, end to end: {@link OkHttpCallBenchmark} (SampleTime, loopback) in JMH
 * forks of four configurations, taking turns round after round so that every configuration sees the same machine.
 *
 * <h2>Workload</h2>
 * <ol>
 *   <li>without the agent;</li>
 *   <li>with the agent, 10 resources configured, none mapping the local server: a call it lets through;</li>
 *   <li>the same plus resource {@value OkHttpCallBenchmark#RESOURCE} mapping the server's host ({@code 127.0.0.1},
 *       any port) with {@code requests = 1000000000/1s}, local coordinator: a permit always available at once;</li>
 *   <li>the same on the Redis coordinator: a {@code redis-server} ({@link RedisServer}) started by this run for
 *       all its forks and stopped at the end.</li>
 * </ol>
 * Each fork warms up 3 × 1 s and measures 5 × 2 s ({@code --smoke}: 1 × 1 s each, one round); every other round
 * runs the configurations in reverse order. After each Redis fork
 * this harness times {@code --ping-seconds} (default 2) of Lettuce sync {@code PING}s on the same Redis, one
 * connection, nothing else running: the round trip the Redis row's overhead is set against.
 *
 * <h2>Reported</h2>
 * Per configuration p50/p90/p99/mean of one call over all its forks, the difference of each to "without the
 * agent" in µs and as a ratio, the agent's own count of permits granted against the calls made (from its MBean,
 * read by each fork at its end), and for the Redis row the commands Redis ran per call ({@code INFO commandstats})
 * and the overhead ÷ the p50 of one {@code PING}. The run fails when a mapped fork did not take a permit for every
 * call, was refused one, ran on a degraded coordinator, or (Redis) ran no script; or when an unmapped fork's agent
 * routed a call to the resource.
 *
 * <h2>Run</h2>
 * <pre>
 * mvn -q -o install -DskipTests &amp;&amp; cp bench/target/benchmarks.jar /tmp/benchmarks-agent.jar \
 *   &amp;&amp; java -cp /tmp/benchmarks-agent.jar dev.ratequeue.bench.AgentOverheadRun [--rounds 2] [--agent PATH]
 *      [--ping-seconds 2] [--configurations without,unmapped,local,redis] [--smoke]
 * </pre>
 * About 2.5 minutes by default (8 forks), under 40 s with {@code --smoke}. {@code --agent} defaults to
 * {@code agent/jar/target/ratequeue-agent.jar} (run it from the checkout's root).
 */
public final class AgentOverheadRun {
  static final String WITHOUT = "without the agent";
  static final String UNMAPPED = "agent, unmapped host (10 resources)";
  static final String MAPPED_LOCAL = "agent, mapped host, local coordinator";
  static final String MAPPED_REDIS = "agent, mapped host, Redis coordinator";

  private AgentOverheadRun() {}

  public static void main(String[] args) throws Exception {
    int rounds = 2;
    boolean smoke = false;
    double pingSeconds = 2;
    List<String> only = KEYS;
    Path agent = Paths.get("agent", "jar", "target", "ratequeue-agent.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds":
          rounds = Options.positive("--rounds", args[++i]);
          break;
        case "--agent":
          agent = Paths.get(args[++i]);
          break;
        case "--ping-seconds":
          pingSeconds = Options.positive("--ping-seconds", args[++i]);
          break;
        case "--configurations":
          only = configurations(args[++i]);
          break;
        case "--smoke":
          smoke = true;
          rounds = 1;
          pingSeconds = 0.5;
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]
              + "; expected --rounds N, --agent PATH, --ping-seconds S, --configurations " + String.join(",", KEYS)
              + ", --smoke");
      }
    }
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException(agent.toAbsolutePath() + " is missing: build with mvn -q install -DskipTests");
    }
    Path dir = Files.createTempDirectory("ratequeue-agent-overhead-");
    try (RedisServer redis = RedisServer.start(); Competitor.Lettuce control = new Competitor.Lettuce(redis.uri())) {
      Map<String, List<String>> configurations = new LinkedHashMap<>();
      // "without the agent" always runs: every difference is to it.
      configurations.put(WITHOUT, Collections.emptyList());
      if (only.contains("unmapped")) {
        configurations.put(UNMAPPED, agentArgs(agent, config(dir, "unmapped", "local", false)));
      }
      if (only.contains("local")) {
        configurations.put(MAPPED_LOCAL, agentArgs(agent, config(dir, "local", "local", true)));
      }
      if (only.contains("redis")) {
        configurations.put(MAPPED_REDIS, agentArgs(agent, config(dir, "redis", redis.uri(), true)));
      }

      PrintStream out = System.out;
      out.println("Machine: " + Machine.describe());
      out.println("Redis: redis-server " + redis.version() + " (" + RedisServer.locateBinary() + "), loopback; "
          + "agent " + agent.toAbsolutePath() + "; load average " + Machine.loadAverage());
      Map<String, Row> rows = new LinkedHashMap<>();
      configurations.keySet().forEach(name -> rows.put(name, new Row()));
      LatencyHistogram ping = new LatencyHistogram();
      List<String> problems = new ArrayList<>();
      int fork = 0;
      for (int round = 0; round < rounds; round++) {
        List<Map.Entry<String, List<String>>> order = new ArrayList<>(configurations.entrySet());
        if (round % 2 == 1) {
          // A, B, C, D then D, C, B, A: a machine that drifts during the run weighs on every configuration alike.
          Collections.reverse(order);
        }
        for (Map.Entry<String, List<String>> c : order) {
          Path statsFile = dir.resolve("fork-" + (++fork) + ".stats");
          List<String> jvmArgs = new ArrayList<>(c.getValue());
          jvmArgs.add("-D" + OkHttpCallBenchmark.STATS_PROPERTY + "=" + statsFile);
          CommandStats before = CommandStats.read(control.sync);
          List<BenchmarkResult> results = runFork(smoke, jvmArgs);
          CommandStats redisRan = CommandStats.read(control.sync).minus(before);
          AgentStats stats = AgentStats.parse(statsFile);
          Row row = rows.get(c.getKey());
          row.add(results, stats, redisRan);
          check(c.getKey(), round, results, stats, redisRan, problems);
          if (c.getKey().equals(MAPPED_REDIS)) {
            // Between forks, so that nothing else of the run competes; the first time after an unmeasured second
            // that compiles the harness's own Lettuce path.
            timePings(control, round == 0 ? Math.min(1, pingSeconds) : 0, null);
            timePings(control, pingSeconds, ping);
          }
        }
      }
      out.println();
      out.print(table(rows, ping, rounds, smoke));
      out.println("Load average after: " + Machine.loadAverage());
      if (!problems.isEmpty()) {
        problems.forEach(p -> System.err.println("FAILED: " + p));
        throw new IllegalStateException("AgentOverheadRun: " + problems.size() + " check(s) failed: " + problems);
      }
    } finally {
      try (var files = Files.list(dir)) {
        files.forEach(f -> f.toFile().delete());
      }
      Files.deleteIfExists(dir);
    }
  }

  /** Short names of the configurations, for {@code --configurations}. */
  private static final List<String> KEYS = List.of("without", "unmapped", "local", "redis");

  private static List<String> configurations(String value) {
    List<String> chosen = List.of(value.split(","));
    for (String c : chosen) {
      if (!KEYS.contains(c)) {
        throw new IllegalArgumentException("--configurations " + value + ": unknown configuration '" + c
            + "'; expected a comma-separated list of " + String.join(", ", KEYS));
      }
    }
    return chosen;
  }

  /** The 10 resources of the unmapped case, and, when {@code mapped}, one more for the local server's host. */
  private static Path config(Path dir, String name, String coordinator, boolean mapped) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("ratequeue.coordinator = " + coordinator);
    for (int i = 0; i < 10; i++) {
      lines.add("ratequeue.resources.r" + i + ".match = " + (i % 3 == 0 ? "*.partner" + i + ".example.com" : "api" + i
          + ".example.com"));
      lines.add("ratequeue.resources.r" + i + ".requests = 100/1s");
    }
    if (mapped) {
      // Any port: each fork's server takes a free one.
      lines.add("ratequeue.resources." + OkHttpCallBenchmark.RESOURCE + ".match = 127.0.0.1");
      lines.add("ratequeue.resources." + OkHttpCallBenchmark.RESOURCE + ".requests = 1000000000/1s");
    }
    lines.add("ratequeue.log.level = warn");
    Path file = dir.resolve(name + ".properties");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  private static List<String> agentArgs(Path agent, Path config) {
    return Collections.singletonList("-javaagent:" + agent.toAbsolutePath() + "=" + config);
  }

  private static List<BenchmarkResult> runFork(boolean smoke, List<String> jvmArgs) throws Exception {
    OptionsBuilder b = new OptionsBuilder();
    b.include(OkHttpCallBenchmark.class.getSimpleName()).forks(1)
        .warmupIterations(smoke ? 1 : 3).warmupTime(TimeValue.seconds(1))
        .measurementIterations(smoke ? 1 : 5).measurementTime(TimeValue.seconds(smoke ? 1 : 2))
        .jvmArgsAppend(jvmArgs.toArray(new String[0]));
    List<BenchmarkResult> all = new ArrayList<>();
    for (RunResult r : new Runner(b.build()).run()) {
      all.addAll(r.getBenchmarkResults());
    }
    return all;
  }

  private static void check(String name, int round, List<BenchmarkResult> results, AgentStats stats,
      CommandStats redisRan, List<String> problems) {
    String fork = name + " (round " + (round + 1) + ")";
    if (results.isEmpty() || stats.calls == 0) {
      problems.add(fork + ": the fork measured nothing");
      return;
    }
    boolean mapped = name.equals(MAPPED_LOCAL) || name.equals(MAPPED_REDIS);
    if (!mapped) {
      if (stats.hasResource()) {
        problems.add(fork + ": the agent routed calls to " + OkHttpCallBenchmark.RESOURCE + ", which is not configured");
      }
      return;
    }
    if (stats.granted < stats.calls) {
      problems.add(fork + ": " + stats.calls + " calls but " + stats.granted + " permits granted: calls bypassed "
          + "the limiter");
    }
    if (stats.rejected != 0) {
      problems.add(fork + ": " + stats.rejected + " calls refused a permit by a non-binding limit");
    }
    if (!"connected".equals(stats.coordinatorState)) {
      problems.add(fork + ": coordinator state " + stats.coordinatorState + ", expected connected");
    }
    if (name.equals(MAPPED_REDIS) && redisRan.calls("evalsha") + redisRan.calls("eval") == 0) {
      problems.add(fork + ": Redis ran no script while the fork ran: the permits did not come from Redis");
    }
  }

  /** Sync PINGs on the control connection for {@code seconds}, into {@code into} unless it is null (warm-up). */
  private static void timePings(Competitor.Lettuce control, double seconds, LatencyHistogram into) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      control.sync.ping();
      long t = System.nanoTime() - t0;
      if (into != null) {
        into.record(t);
      }
    }
  }

  static String table(Map<String, Row> rows, LatencyHistogram ping, int rounds, boolean smoke) {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "OkHttp execute() on loopback, %d fork(s) per configuration taking turns, "
        + "%s measured per fork%s%n%n", rounds, smoke ? "1 × 1 s" : "5 × 2 s", smoke ? " (SMOKE: not a measurement)"
        : ""));
    t.append("| configuration | samples | p50 µs | p90 µs | p99 µs | mean µs | permits / calls "
        + "| EVALSHA / call |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      Statistics s = r.statistics();
      t.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | %.1f | %s | %s |%n", e.getKey(),
          s.getN(), s.getPercentile(50), s.getPercentile(90), s.getPercentile(99), s.getMean(),
          r.stats.hasResource() ? String.format(Locale.ROOT, "%,d / %,d", r.stats.granted, r.stats.calls)
              : "– / " + String.format(Locale.ROOT, "%,d", r.stats.calls),
          e.getKey().equals(MAPPED_REDIS) ? String.format(Locale.ROOT, "%.2f",
              r.redis.calls("evalsha") / (double) r.stats.calls) : "–"));
    }
    Row redisRow = rows.get(MAPPED_REDIS);
    if (redisRow != null && redisRow.stats.calls > 0) {
      t.append("\nRedis ran per call of the Redis configuration (scripts' own commands included): ")
          .append(redisRow.redis.describePer(redisRow.stats.calls)).append('\n');
    }
    Statistics base = rows.get(WITHOUT).statistics();
    double pingP50 = ping.count() == 0 ? Double.NaN : ping.percentileNanos(0.5) / 1e3;
    t.append("\n| difference to without the agent | p50 µs (ratio) | p90 µs (ratio) | p99 µs (ratio) "
        + "| mean µs (ratio) | Δp50 ÷ PING p50 | Δmean ÷ PING p50 |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      if (e.getKey().equals(WITHOUT)) {
        continue;
      }
      Statistics s = e.getValue().statistics();
      t.append("| ").append(e.getKey());
      for (int p : new int[] {50, 90, 99}) {
        t.append(diff(s.getPercentile(p), base.getPercentile(p)));
      }
      t.append(diff(s.getMean(), base.getMean()));
      t.append(String.format(Locale.ROOT, " | %.2f | %.2f |%n", (s.getPercentile(50) - base.getPercentile(50))
          / pingP50, (s.getMean() - base.getMean()) / pingP50));
    }
    if (ping.count() > 0) {
      t.append(String.format(Locale.ROOT, "%nLettuce sync PING on the same Redis, from the harness between forks: "
          + "p50 %.1f µs, p99 %.1f µs (%,d pings). The last two columns hold for every row, but only the Redis row "
          + "pays round trips.%n", pingP50, ping.percentileNanos(0.99) / 1e3, ping.count()));
    }
    return t.toString();
  }

  private static String diff(double value, double base) {
    return String.format(Locale.ROOT, " | %+.1f (%.3f)", value - base, value / base);
  }

  /** One configuration over all its forks. */
  static final class Row {
    private final List<BenchmarkResult> results = new ArrayList<>();
    private AgentStats stats;
    private CommandStats redis;

    void add(List<BenchmarkResult> fork, AgentStats forkStats, CommandStats redisRan) {
      results.addAll(fork);
      stats = stats == null ? forkStats : stats.plus(forkStats);
      redis = redis == null ? redisRan : redis.plus(redisRan);
    }

    Statistics statistics() {
      if (results.isEmpty()) {
        return new ListStatistics(); // a failed fork, reported by the checks
      }
      return new RunResult(results.get(0).getParams(), results).getPrimaryResult().getStatistics();
    }
  }
}
