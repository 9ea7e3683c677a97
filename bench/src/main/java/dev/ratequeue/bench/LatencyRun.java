package dev.ratequeue.bench;

import dev.ratequeue.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link AcquireLatencyBenchmark} the way BENCHMARKS.md reports it and prints the ratio table.
 *
 * <p>The competitors run interleaved in rounds ({@code --rounds}, default 2): round 1 runs one fork of each, then
 * round 2 another fork of each, and so on, so that a burst of load from something else on a shared machine is less
 * likely to land on one competitor only. Per fork JMH's annotations apply (3 × 1 s warm-up, 5 × 1 s measured,
 * SampleTime). The forks of a competitor are merged as JMH merges forks, percentiles are read from the merged
 * samples, and the ratios RateQueue ÷ PING and RateQueue ÷ EVALSHA are printed per round and overall. Around every
 * fork the load average and the CPU used by other processes are recorded.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.ratequeue.bench.LatencyRun [--rounds N] [--competitors A,B]
 *      [--quiet-wait SECONDS] [--out file.md] [--smoke] [any JMH option, e.g. -prof jfr or -p limit=1000000/1s]
 * </pre>
 * Before each fork it waits up to {@code --quiet-wait} seconds (default 10) for the machine to be quiet (under
 * 0.2 cores busy over a second) and reports whether it was.
 * {@code --smoke} runs each competitor for 0.4 s in this JVM (no fork), one round: a few seconds in all,
 * to check the benchmark still runs, not to measure. It fails (exit 1) when any competitor failed.
 */
public final class LatencyRun {

    /** The target: an uncontended acquire within 1.3 Redis round trips. */
    /** The target: an uncontended acquire within 10% of a bare {@code EVALSHA} round trip, at p50. */
    static final double TARGET = 1.10;

    /** Busy cores below which the machine counts as quiet before a fork starts ({@code --quiet-wait}). */
    static final double QUIET_CORES = 0.2;

    private LatencyRun() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 2;
        long quietWaitSeconds = 10;
        boolean smoke = false;
        Path out = null;
        List<Competitor> competitors = Arrays.asList(Competitor.values());
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds":
                    rounds = Integer.parseInt(args[++i]);
                    break;
                case "--smoke":
                    smoke = true;
                    break;
                case "--quiet-wait":
                    quietWaitSeconds = Long.parseLong(args[++i]);
                    break;
                case "--out":
                    out = Paths.get(args[++i]);
                    break;
                case "--competitors":
                    competitors = Arrays.stream(args[++i].split(",")).map(String::trim).map(Competitor::valueOf)
                            .collect(Collectors.toList());
                    break;
                default:
                    jmhArgs.add(args[i]);
            }
        }
        if (smoke) {
            rounds = 1;
            quietWaitSeconds = 0;
        }
        CommandLineOptions cli = new CommandLineOptions(jmhArgs.toArray(new String[0]));
        String redisVersion;
        try (RedisServer probe = RedisServer.start()) {
            redisVersion = probe.version();
        }
        StringBuilder report = new StringBuilder();
        report.append("Machine: ").append(Machine.describe()).append('\n')
                .append("Redis: redis-server ").append(redisVersion).append(" (").append(RedisServer.locateBinary())
                .append("), loopback, one fresh server per fork\n")
                .append("Run: ").append(smoke ? "SMOKE, " : "").append(rounds).append(" round(s) of ")
                .append(competitors).append(jmhArgs.isEmpty() ? "" : ", JMH options " + jmhArgs).append("\n\n");
        System.out.print(report);

        Map<Competitor, List<BenchmarkResult>> forks = new EnumMap<>(Competitor.class);
        Map<Competitor, List<RunResult>> perRound = new EnumMap<>(Competitor.class);
        StringBuilder loadTable = new StringBuilder("| round | competitor | before the fork | load before → after "
                + "| other CPU (cores) | of which steal |\n|---:|---|---|---|---:|---:|\n");
        for (int round = 1; round <= rounds; round++) {
            for (Competitor c : competitors) {
                ChainedOptionsBuilder o = new OptionsBuilder().parent(cli)
                        .include(AcquireLatencyBenchmark.class.getName() + ".operation")
                        .param("competitor", c.name())
                        .shouldFailOnError(true);
                if (!cli.getForkCount().hasValue()) {
                    o.forks(1);
                }
                if (smoke) {
                    o.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                            .measurementIterations(1).measurementTime(TimeValue.milliseconds(300));
                }
                String quiet = quietWaitSeconds > 0
                        ? Machine.awaitQuiet(java.time.Duration.ofSeconds(quietWaitSeconds), QUIET_CORES)
                        : "not checked";
                String loadBefore = Machine.loadAverage();
                long[] cpuBefore = Machine.cpuTicks();
                long ownBefore = ownTicks();
                long t0 = System.nanoTime();
                Collection<RunResult> results = new Runner(o.build()).run();
                double seconds = (System.nanoTime() - t0) / 1e9;
                long[] cpuAfter = Machine.cpuTicks();
                long ownAfter = ownTicks();
                double other = Math.max(0, (cpuAfter[0] - cpuBefore[0]) - (ownAfter - ownBefore))
                        / (double) Machine.TICKS_PER_SECOND / seconds;
                double steal = (cpuAfter[2] - cpuBefore[2]) / (double) Machine.TICKS_PER_SECOND / seconds;
                loadTable.append(String.format(Locale.ROOT, "| %d | %s | %s | %s → %s | %.2f | %.2f |%n", round, c,
                        quiet, loadBefore, Machine.loadAverage(), other, steal));
                if (results.size() != 1) {
                    throw new IllegalStateException("expected one result for " + c + ", got " + results.size());
                }
                RunResult result = results.iterator().next();
                forks.computeIfAbsent(c, k -> new ArrayList<>()).addAll(result.getBenchmarkResults());
                perRound.computeIfAbsent(c, k -> new ArrayList<>()).add(result);
            }
        }

        Map<Competitor, Statistics> merged = new EnumMap<>(Competitor.class);
        forks.forEach((c, results) -> merged.put(c,
                new RunResult(results.get(0).getParams(), results).getPrimaryResult().getStatistics()));
        report.append(latencyTable(merged, !smoke)).append('\n');
        report.append(roundTable(perRound, rounds)).append('\n');
        report.append("Load around each fork (load average is the machine's 1/5/15-minute one; other CPU is what "
                + "processes other than this run and its forks used while it ran, in cores):\n\n")
                .append(loadTable);
        System.out.println();
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report);
            System.out.println("written to " + out.toAbsolutePath());
        }
    }

    /** CPU ticks of this JVM and of the forks (and their Redis servers) it has waited for. */
    private static long ownTicks() {
        try {
            String stat = Files.readString(Paths.get("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (Exception e) {
            return 0;
        }
    }

    static String latencyTable(Map<Competitor, Statistics> s, boolean verdict) {
        Statistics ping = s.get(Competitor.Lettuce_Ping);
        Statistics evalsha = s.get(Competitor.Lettuce_EvalSha);
        StringBuilder t = new StringBuilder();
        t.append("| competitor | samples | p50 µs | p90 µs | p99 µs | p99.9 µs | mean µs "
                + "| p50 ÷ PING | p99 ÷ PING | p50 ÷ EVALSHA | p99 ÷ EVALSHA |\n");
        t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        s.forEach((c, st) -> t.append(String.format(Locale.ROOT,
                "| %s | %,d | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %s | %s | %s |%n", c, st.getN(),
                st.getPercentile(50), st.getPercentile(90), st.getPercentile(99), st.getPercentile(99.9),
                st.getMean(), ratio(st, ping, 50), ratio(st, ping, 99), ratio(st, evalsha, 50),
                ratio(st, evalsha, 99))));
        Statistics rq = s.get(Competitor.RateQueue_Redis);
        if (!verdict) {
            t.append("\nSmoke run: these numbers check that the benchmark runs, they measure nothing.\n");
        } else if (rq != null && evalsha != null) {
            t.append(verdict(rq.getPercentile(50) / evalsha.getPercentile(50),
                    rq.getPercentile(99) / evalsha.getPercentile(99)));
        }
        return t.toString();
    }

    static String verdict(double p50OverEvalsha, double p99OverEvalsha) {
        return String.format(Locale.ROOT, "%nTarget (uncontended acquire p50 ≤ %.2f × EVALSHA of return 1): p50 %.2f× "
                + "%s (p99 %.2f×, no target)%n", TARGET, p50OverEvalsha, p50OverEvalsha <= TARGET ? "met" : "MISSED",
                p99OverEvalsha);
    }

    static String roundTable(Map<Competitor, List<RunResult>> perRound, int rounds) {
        List<RunResult> ping = perRound.get(Competitor.Lettuce_Ping);
        if (ping == null) {
            return "";
        }
        StringBuilder t = new StringBuilder("Per round (each round is one fork of every competitor):\n\n"
                + "| round | PING p50 / p99 µs | competitor | p50 / p99 µs | p50 ÷ PING | p99 ÷ PING |\n"
                + "|---:|---|---|---|---:|---:|\n");
        for (int r = 0; r < rounds; r++) {
            Statistics p = ping.get(r).getPrimaryResult().getStatistics();
            for (Map.Entry<Competitor, List<RunResult>> e : perRound.entrySet()) {
                if (e.getKey() == Competitor.Lettuce_Ping) {
                    continue;
                }
                Statistics c = e.getValue().get(r).getPrimaryResult().getStatistics();
                t.append(String.format(Locale.ROOT, "| %d | %.1f / %.1f | %s | %.1f / %.1f | %s | %s |%n", r + 1,
                        p.getPercentile(50), p.getPercentile(99), e.getKey(), c.getPercentile(50),
                        c.getPercentile(99), ratio(c, p, 50), ratio(c, p, 99)));
            }
        }
        return t.toString();
    }

    private static String ratio(Statistics s, Statistics base, double percentile) {
        return base == null ? "–" : String.format(Locale.ROOT, "%.2f", s.getPercentile(percentile)
                / base.getPercentile(percentile));
    }
}
