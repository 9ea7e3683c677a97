package dev.ratequeue.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * {@link OkHttpCallBenchmark} in forks without the agent and with it, alternating, on a host none of the agent's
 * 10 resources maps: the agent's whole cost on a call it lets through, end to end.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.ratequeue.bench.AgentOverheadRun [--rounds 2] [--agent PATH] [--smoke]
 * </pre>
 *
 * {@code --agent} defaults to {@code agent/jar/target/ratequeue-agent.jar} (run it from the checkout's root).
 */
public final class AgentOverheadRun {
  private AgentOverheadRun() {}

  public static void main(String[] args) throws Exception {
    int rounds = 2;
    boolean smoke = false;
    Path agent = Paths.get("agent", "jar", "target", "ratequeue-agent.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds":
          rounds = Integer.parseInt(args[++i]);
          break;
        case "--agent":
          agent = Paths.get(args[++i]);
          break;
        case "--smoke":
          smoke = true;
          rounds = 1;
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i] + "; expected --rounds N, --agent PATH, --smoke");
      }
    }
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException(agent.toAbsolutePath() + " is missing: build with mvn -q install -DskipTests");
    }
    Path config = Files.createTempFile("ratequeue-bench-", ".properties");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      lines.add("ratequeue.resources.r" + i + ".match = " + (i % 3 == 0 ? "*.partner" + i + ".example.com" : "api" + i
          + ".example.com"));
      lines.add("ratequeue.resources.r" + i + ".requests = 100/1s");
    }
    lines.add("ratequeue.log.level = warn");
    Files.write(config, lines, StandardCharsets.UTF_8);

    PrintStream out = System.out;
    out.println("Machine: " + Machine.describe());
    List<BenchmarkResult> without = new ArrayList<>();
    List<BenchmarkResult> with = new ArrayList<>();
    String agentArg = "-javaagent:" + agent.toAbsolutePath() + "=" + config;
    for (int round = 0; round < rounds; round++) {
      without.addAll(run(smoke, null));
      with.addAll(run(smoke, agentArg));
    }
    Files.deleteIfExists(config);
    Statistics a = merged(without);
    Statistics b = merged(with);
    out.println();
    out.println("| OkHttp execute(), unmapped host | samples | p50 µs | p90 µs | p99 µs | mean µs |");
    out.println("|---|---:|---:|---:|---:|---:|");
    row(out, "without the agent", a);
    row(out, "with the agent (10 resources configured)", b);
    out.printf(Locale.ROOT, "%nWith ÷ without: p50 %.3f, mean %.3f; difference of the means %+.2f µs per call "
        + "(forks alternate, %d round(s))%n", b.getPercentile(50) / a.getPercentile(50), b.getMean() / a.getMean(),
        b.getMean() - a.getMean(), rounds);
    if (a.getN() == 0 || b.getN() == 0) {
      throw new IllegalStateException("a fork measured nothing");
    }
  }

  private static Statistics merged(List<BenchmarkResult> results) {
    return new RunResult(results.get(0).getParams(), results).getPrimaryResult().getStatistics();
  }

  private static Collection<BenchmarkResult> run(boolean smoke, String agentArg) throws Exception {
    OptionsBuilder b = new OptionsBuilder();
    b.include(OkHttpCallBenchmark.class.getSimpleName()).forks(1)
        .warmupIterations(smoke ? 1 : 3).warmupTime(TimeValue.seconds(1))
        .measurementIterations(smoke ? 1 : 5).measurementTime(TimeValue.seconds(smoke ? 1 : 2));
    if (agentArg != null) {
      b.jvmArgsAppend(agentArg);
    }
    Options options = b.build();
    List<BenchmarkResult> all = new ArrayList<>();
    for (RunResult r : new Runner(options).run()) {
      all.addAll(r.getBenchmarkResults());
    }
    return all;
  }

  private static void row(PrintStream out, String name, Statistics s) {
    out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", name, s.getN(), s.getPercentile(50),
        s.getPercentile(90), s.getPercentile(99), s.getMean());
  }

}
