package dev.ratequeue.bench;

import dev.ratequeue.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The same comparison as {@link AcquireLatencyBenchmark}, made robust to a shared, noisy machine: every competitor
 * runs in one JVM against one {@code redis-server}, interleaved in small blocks ({@code --block} operations, default
 * 200, round robin), so a burst of load from something else lands on all of them alike and the ratios stay
 * meaningful even when the absolute numbers do not. JMH's forks run one competitor after another, so on a busy
 * machine one competitor can get a quiet minute and the next a busy one; here they cannot.
 *
 * <p>One thread, uncontended, {@link System#nanoTime()} around each operation, latencies in a
 * {@link LatencyHistogram} (±3%), and the Redis commands each competitor caused ({@code INFO commandstats} read
 * between blocks). A warm-up ({@code --warmup} seconds, default 5) runs the same rotation unrecorded.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.ratequeue.bench.InterleavedLatency [--seconds 30] [--warmup 5]
 *      [--block 200] [--competitors Lettuce_Ping,RateQueue_Redis] [--limit 1000000000/1s] [--out file.md] [--smoke]
 * </pre>
 * {@code --smoke}: half a second of warm-up, one second measured; fails when a competitor completed nothing.
 */
public final class InterleavedLatency {

    private InterleavedLatency() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = false;
        double seconds = 30;
        double warmup = 5;
        int block = 200;
        String limit = "1000000000/1s";
        Path out = null;
        List<Competitor> competitors = Arrays.asList(Competitor.values());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds":
                    seconds = Double.parseDouble(args[++i]);
                    break;
                case "--warmup":
                    warmup = Double.parseDouble(args[++i]);
                    break;
                case "--block":
                    block = Integer.parseInt(args[++i]);
                    break;
                case "--limit":
                    limit = args[++i];
                    break;
                case "--out":
                    out = Paths.get(args[++i]);
                    break;
                case "--competitors":
                    competitors = Arrays.stream(args[++i].split(",")).map(String::trim).map(Competitor::valueOf)
                            .collect(Collectors.toList());
                    break;
                case "--smoke":
                    smoke = true;
                    seconds = 1;
                    warmup = 0.5;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i] + "; known: --seconds 30 "
                            + "--warmup 5 --block 200 --competitors A,B --limit 1000000000/1s --out file.md --smoke");
            }
        }

        Map<Competitor, LatencyHistogram> histograms = new LinkedHashMap<>();
        Map<Competitor, long[]> commands = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder();
        try (RedisServer redis = RedisServer.start();
                Competitor.Lettuce stats = new Competitor.Lettuce(redis.uri())) {
            List<Competitor.Op> ops = new ArrayList<>();
            try {
                for (Competitor c : competitors) {
                    ops.add(c.open(redis.uri(), c.nonBindingLimits(limit)));
                    histograms.put(c, new LatencyHistogram());
                    commands.put(c, new long[2]);
                }
                report.append("Machine: ").append(Machine.describe()).append('\n')
                        .append("Redis: redis-server ").append(redis.version()).append(" (")
                        .append(RedisServer.locateBinary()).append("), loopback, one server for all\n")
                        .append(String.format(Locale.ROOT, "Run: %s interleaved in blocks of %d operations, "
                                + "%.1f s warm-up, %.1f s measured, limit requests = %s%n%n", competitors, block,
                                warmup, seconds, limit));
                System.out.print(report);
                rotate(ops, null, null, null, block, warmup);
                String loadBefore = Machine.loadAverage();
                long[] cpuBefore = Machine.cpuTicks();
                long ownBefore = Machine.processTicks(ProcessHandle.current().pid())
                        + Machine.processTicks(redis.pid());
                long t0 = System.nanoTime();
                rotate(ops, new ArrayList<>(histograms.values()), new ArrayList<>(commands.values()), stats, block,
                        seconds);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                long[] cpuAfter = Machine.cpuTicks();
                long ownAfter = Machine.processTicks(ProcessHandle.current().pid())
                        + Machine.processTicks(redis.pid());
                double other = Math.max(0, (cpuAfter[0] - cpuBefore[0]) - (ownAfter - ownBefore))
                        / (double) Machine.TICKS_PER_SECOND / elapsed;
                report.append(table(histograms, commands, !smoke)).append('\n').append(String.format(Locale.ROOT,
                        "Load: load average %s → %s; other processes used %.2f cores (steal %.2f) while it ran.%n",
                        loadBefore, Machine.loadAverage(), other,
                        (cpuAfter[2] - cpuBefore[2]) / (double) Machine.TICKS_PER_SECOND / elapsed));
            } finally {
                for (Competitor.Op op : ops) {
                    op.close();
                }
            }
        }
        System.out.println();
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report);
            System.out.println("written to " + out.toAbsolutePath());
        }
        for (Map.Entry<Competitor, LatencyHistogram> e : histograms.entrySet()) {
            if (e.getValue().count() == 0) {
                System.err.println("FAILED: " + e.getKey() + " completed nothing");
                System.exit(1);
            }
        }
    }

    /**
     * Round robin over the competitors, {@code block} operations each, for {@code seconds}. When measuring, the
     * {@code INFO commandstats} difference over each block is added to that competitor's {@code {all commands,
     * EVALSHA + EVAL}} counts (read between blocks, outside the timed operations).
     */
    private static void rotate(List<Competitor.Op> ops, List<LatencyHistogram> into, List<long[]> commands,
            Competitor.Lettuce stats, int block, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        Object sink = null;
        CommandStats last = stats == null ? null : CommandStats.read(stats.sync);
        while (System.nanoTime() < end) {
            for (int c = 0; c < ops.size(); c++) {
                Competitor.Op op = ops.get(c);
                LatencyHistogram h = into == null ? null : into.get(c);
                for (int i = 0; i < block; i++) {
                    long start = System.nanoTime();
                    sink = op.run();
                    long took = System.nanoTime() - start;
                    if (h != null) {
                        h.record(took);
                    }
                }
                if (stats != null) {
                    CommandStats now = CommandStats.read(stats.sync);
                    CommandStats ran = now.minus(last);
                    commands.get(c)[0] += ran.totalCalls();
                    commands.get(c)[1] += ran.calls("evalsha") + ran.calls("eval");
                    last = now;
                }
            }
        }
        if (sink == null) {
            throw new IllegalStateException("no operation ran");
        }
    }

    static String table(Map<Competitor, LatencyHistogram> h, Map<Competitor, long[]> commands, boolean verdict) {
        LatencyHistogram ping = h.get(Competitor.Lettuce_Ping);
        LatencyHistogram evalsha = h.get(Competitor.Lettuce_EvalSha);
        StringBuilder t = new StringBuilder("| competitor | samples | p50 µs | p90 µs | p99 µs | p99.9 µs "
                + "| p50 ÷ PING | p99 ÷ PING | p50 ÷ EVALSHA | p99 ÷ EVALSHA | this p50 ÷ RateQueue's "
                + "| Redis cmds/op | scripts/op |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        h.forEach((c, s) -> t.append(String.format(Locale.ROOT,
                "| %s | %,d | %.1f | %.1f | %.1f | %.1f | %s | %s | %s | %s | %s | %.2f | %.2f |%n", c, s.count(),
                us(s, 0.5), us(s, 0.9), us(s, 0.99), us(s, 0.999), ratio(s, ping, 0.5), ratio(s, ping, 0.99),
                ratio(s, evalsha, 0.5), ratio(s, evalsha, 0.99), ratio(s, h.get(c.rateQueueCounterpart()), 0.5),
                commands.get(c)[0] / (double) s.count(), commands.get(c)[1] / (double) s.count())));
        LatencyHistogram rq = h.get(Competitor.RateQueue_Redis);
        if (!verdict) {
            t.append("\nSmoke run: these numbers check that the benchmark runs, they measure nothing.\n");
        } else if (rq != null && evalsha != null) {
            t.append(LatencyRun.verdict(us(rq, 0.5) / us(evalsha, 0.5), us(rq, 0.99) / us(evalsha, 0.99)));
        }
        return t.toString();
    }

    private static double us(LatencyHistogram h, double q) {
        return h.percentileNanos(q) / 1e3;
    }

    private static String ratio(LatencyHistogram s, LatencyHistogram base, double q) {
        return base == null ? "–" : String.format(Locale.ROOT, "%.2f", us(s, q) / us(base, q));
    }
}
