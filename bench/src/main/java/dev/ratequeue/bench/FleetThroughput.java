package dev.ratequeue.bench;

import dev.ratequeue.testing.RedisServer;
import dev.ratequeue.testing.WorkerJvm;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Permits per second of a fleet of worker JVMs on one resource whose limit is not binding, next to the same fleet
 * doing plain Lettuce {@code EVALSHA} and {@code PING}: what the coordinator itself costs when nothing has to wait.
 *
 * <h2>Workload</h2>
 * One {@code redis-server} (via {@link RedisServer}) for the whole run. For each fleet size ({@code --jvms}, default
 * 1 and 4) and each workload ({@code --workloads}, default {@code ping,evalsha,acquire}), the harness flushes Redis,
 * starts that many {@link FleetWorker} JVMs ({@link WorkerJvm}, {@code -Xmx256m}) with {@code --threads} threads each
 * (default 32), waits until every one is connected, gives them one common start time, and lets every thread repeat
 * its operation for {@code --warmup} then {@code --measure} seconds (defaults 5 and 10). {@code acquire} is RateQueue
 * {@code acquire(1, 0)} + {@code close()} through the Redis coordinator on resource {@code fleet-<jvms>x<threads>}
 * with only {@code requests = --limit} (default {@code 1000000000/1s}: never binding, not even for grant spacing).
 *
 * <h2>Reported</h2>
 * Permits (operations) per second, total and per JVM; latency p50/p99 of one operation under that load; Redis
 * commands per permit from the {@code INFO commandstats} difference over the measured window (commands run inside
 * scripts included, {@code INFO} itself excluded), with the {@code EVALSHA}s per permit that show the batching;
 * CPU used by Redis, by the workers and by everything else on the machine during the window (from {@code /proc}),
 * and the load average before and after each scenario, so a measurement taken on a busy machine says so.
 *
 * <h2>Run</h2>
 * <pre>
 * mvn -q -o install -DskipTests \
 *   &amp;&amp; java -cp bench/target/benchmarks.jar dev.ratequeue.bench.FleetThroughput
 * </pre>
 * Options: {@code --jvms 1,4 --threads 32 --warmup 5 --measure 10 --workloads ping,evalsha,acquire
 * --limit 1000000000/1s --quiet-wait 10 --out results.md --jfr dir} ({@code --jfr}: every worker records a JFR
 * profile into that directory, one file per workload, fleet and worker; {@code --worker-jvm-arg} passes one
 * option to every worker, e.g. async-profiler's {@code -agentpath:…/libasyncProfiler.so=start,event=cpu,file=…}); before each scenario it waits up to {@code --quiet-wait}
 * seconds for the machine to be quiet (under 0.2 cores busy) and reports whether it was. {@code --smoke} runs 2 JVMs
 * of 4 threads for one second, acquire only, and exits non-zero when a worker failed, fell back to the local
 * coordinator, or granted nothing. The workers run on this JVM's class path, so
 * {@code mvn -q -pl bench exec:java -Dexec.args="..."} works as well.
 */
public final class FleetThroughput {

    private FleetThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        RunReport report;
        List<Scenario> results = new ArrayList<>();
        try (RedisServer redis = RedisServer.start();
                Competitor.Lettuce control = new Competitor.Lettuce(redis.uri())) {
            report = RunReport.start(redis, s.describe());
            for (int jvms : s.fleets) {
                for (String workload : s.workloads) {
                    Scenario result = run(redis, control, s, workload, jvms);
                    results.add(result);
                    System.out.println(result.summary());
                }
            }
        }
        report.tables(table(results));
        report.finish(s.out, results.stream().flatMap(r -> r.problems().stream()).collect(Collectors.toList()));
    }

    private static Scenario run(RedisServer redis, Competitor.Lettuce control, Settings s, String workload, int jvms)
            throws Exception {
        Scenario r = new Scenario(workload, jvms, s.threads);
        control.sync.flushall();
        r.quiet = s.quietWait.isZero() ? "not checked" : Machine.awaitQuiet(s.quietWait, LatencyRun.QUIET_CORES);
        r.loadBefore = Machine.loadAverage();
        List<WorkerJvm> workers = new ArrayList<>();
        try {
            for (int i = 1; i <= jvms; i++) {
                WorkerJvm.Builder worker = WorkerJvm.builder();
                s.workerJvmArgs.forEach(worker::jvmArg);
                if (s.jfr != null) {
                    worker.jvmArg("-XX:StartFlightRecording=settings=profile,filename=" + s.jfr.resolve(
                            workload + "-" + jvms + "x" + s.threads + "-w" + i + ".jfr"));
                }
                workers.add(worker.name("w" + i).mainClass(FleetWorker.class).classpath(workerClasspath())
                        .arg("redis=" + redis.uri(), "name=w" + i, "workload=" + workload,
                                "resource=fleet-" + jvms + "x" + s.threads, "limit=" + s.limit,
                                "threads=" + s.threads, "warmupMs=" + s.warmup.toMillis(),
                                "measureMs=" + s.measure.toMillis())
                        .start());
            }
            long start = CommonStart.startTogether(control, workers, FleetWorker.GO_KEY_PREFIX, 300);
            FleetWorker.sleepUntil(start + s.warmup.toMillis());
            CommandStats statsBefore = CommandStats.read(control.sync);
            CpuWindow cpu = CpuWindow.open(redis, workers);
            FleetWorker.sleepUntil(start + s.warmup.toMillis() + s.measure.toMillis());
            CommandStats statsAfter = CommandStats.read(control.sync);
            cpu.close();
            r.commands = statsAfter.minus(statsBefore);
            r.windowSeconds = cpu.seconds();
            r.redisCores = cpu.redisCores();
            r.ownCores = cpu.ownCores();
            r.otherCores = cpu.otherCores();
            r.stealCores = cpu.stealCores();
            for (WorkerJvm w : workers) {
                String result = w.awaitLine(line -> line.startsWith("RESULT "), Duration.ofSeconds(60));
                String histogram = w.awaitLine(line -> line.startsWith("HISTOGRAM "), Duration.ofSeconds(10));
                r.add(w.name(), FleetWorker.parse(Arrays.copyOfRange(result.split(" "), 2, 6)),
                        LatencyHistogram.decode(histogram.substring(histogram.indexOf(' ', 10) + 1)));
                int exit = w.awaitExit(Duration.ofSeconds(30));
                if (exit != 0) {
                    r.problems.add(w.name() + " of " + r.label() + " exited with " + exit);
                }
            }
        } finally {
            workers.forEach(WorkerJvm::close);
            r.loadAfter = Machine.loadAverage();
        }
        return r;
    }

    /**
     * The class path workers need: this JVM's own when the harness was started with {@code java -cp}, or the
     * project class loader's when it runs inside Maven ({@code exec:java}).
     */
    static String workerClasspath() {
        ClassLoader loader = FleetWorker.class.getClassLoader();
        if (loader == ClassLoader.getSystemClassLoader() || !(loader instanceof URLClassLoader)) {
            return System.getProperty("java.class.path");
        }
        List<String> entries = new ArrayList<>();
        for (URL url : ((URLClassLoader) loader).getURLs()) {
            try {
                entries.add(Paths.get(url.toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("unexpected class path entry " + url, e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    static String table(List<Scenario> results) {
        StringBuilder t = new StringBuilder();
        t.append("| workload | JVMs × threads | ops/s total | ops/s per JVM | p50 µs | p99 µs "
                + "| Redis cmds/op | scripts/op | Redis CPU (cores) | workers+harness CPU (cores) "
                + "| other CPU (cores, of which steal) | before | load before → after |\n");
        t.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Scenario r : results) {
            t.append(String.format(Locale.ROOT,
                    "| %s | %d × %d | %,.0f | %s | %.1f | %.1f | %.2f | %.3f | %.2f | %.2f | %.2f (%.2f) | %s "
                            + "| %s → %s |\n",
                    r.workload, r.jvms, r.threads, r.total(), r.perJvm(), r.latency.percentileNanos(0.5) / 1e3,
                    r.latency.percentileNanos(0.99) / 1e3, r.commandsPerOp(), r.evalshaPerOp(), r.redisCores,
                    r.ownCores - r.redisCores, r.otherCores, r.stealCores, r.quiet, r.loadBefore, r.loadAfter));
        }
        t.append('\n').append(ratios(results)).append('\n');
        for (Scenario r : results) {
            t.append(String.format(Locale.ROOT, "- %s: Redis commands per op: %s%n", r.label(),
                    r.commands == null ? "n/a" : r.commands.describePer(r.total() * r.windowSeconds)));
        }
        return t.toString();
    }

    /**
     * RateQueue's permits per second against each other workload of the same fleet size, with the targets
     * (≥ 1.5 × Bucket4j with batching, ≥ 5 × Redisson, ≤ 0.25 Redis commands per permit).
     */
    static String ratios(List<Scenario> results) {
        StringBuilder t = new StringBuilder();
        for (Scenario rq : results) {
            if (!rq.workload.equals("acquire")) {
                continue;
            }
            t.append(String.format(Locale.ROOT, "- RateQueue %d × %d:", rq.jvms, rq.threads));
            for (Scenario other : results) {
                if (other != rq && other.jvms == rq.jvms && other.threads == rq.threads) {
                    double ratio = rq.total() / other.total();
                    String target = other.workload.equals("Bucket4j_Batching") ? (ratio >= 1.5 ? " (≥ 1.5: met)"
                            : " (≥ 1.5: MISSED)") : other.workload.equals("Redisson") ? (ratio >= 5 ? " (≥ 5: met)"
                            : " (≥ 5: MISSED)") : "";
                    t.append(String.format(Locale.ROOT, " %.2f × %s%s;", ratio, other.workload, target));
                }
            }
            double perPermit = rq.commandsPerOp();
            t.append(String.format(Locale.ROOT, " %.3f Redis commands per permit (≤ 0.25: %s)%n", perPermit,
                    perPermit <= 0.25 ? "met" : "MISSED"));
        }
        return t.toString();
    }

    /** One fleet size and workload: what its workers reported and what Redis and the machine did meanwhile. */
    static final class Scenario {
        final String workload;
        final int jvms;
        final int threads;
        final List<String> names = new ArrayList<>();
        final List<Double> rates = new ArrayList<>();
        final LatencyHistogram latency = new LatencyHistogram();
        final List<String> problems = new ArrayList<>();
        CommandStats commands;
        double windowSeconds;
        double redisCores;
        double ownCores;
        double otherCores;
        double stealCores;
        String quiet;
        String loadBefore;
        String loadAfter;

        Scenario(String workload, int jvms, int threads) {
            this.workload = workload;
            this.jvms = jvms;
            this.threads = threads;
        }

        String label() {
            return workload + " " + jvms + "×" + threads;
        }

        void add(String name, java.util.Map<String, String> result, LatencyHistogram histogram) {
            long permits = Long.parseLong(result.get("permits"));
            long nanos = Long.parseLong(result.get("nanos"));
            long errors = Long.parseLong(result.get("errors"));
            long fallback = Long.parseLong(result.get("fallback"));
            names.add(name);
            rates.add(permits / (nanos / 1e9));
            latency.add(histogram);
            if (permits == 0) {
                problems.add(name + " of " + label() + " completed nothing");
            }
            if (errors != 0) {
                problems.add(name + " of " + label() + " had " + errors + " failed operations");
            }
            if (fallback != 0) {
                problems.add(name + " of " + label() + " got " + fallback
                        + " permits from the local fallback: Redis was not reached");
            }
        }

        double total() {
            return rates.stream().mapToDouble(Double::doubleValue).sum();
        }

        String perJvm() {
            return rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).collect(Collectors.joining(" / "));
        }

        double commandsPerOp() {
            return commands == null ? Double.NaN : commands.totalCalls() / (total() * windowSeconds);
        }

        /** {@code EVALSHA} and {@code EVAL} per operation: RateQueue's batching, the anchors' scripts. */
        double evalshaPerOp() {
            return commands == null ? Double.NaN
                    : (commands.calls("evalsha") + commands.calls("eval")) / (total() * windowSeconds);
        }

        List<String> problems() {
            List<String> all = new ArrayList<>(problems);
            if (workload.equals("acquire") && commands != null && commands.calls("evalsha") == 0) {
                all.add(label() + " ran no EVALSHA: the coordinator never reached Redis");
            }
            return all;
        }

        String summary() {
            return String.format(Locale.ROOT,
                    "%-16s %,12.0f ops/s (%s per JVM), %s, %.2f Redis cmds/op, %.3f scripts/op, Redis %.2f cores, "
                            + "other load %.2f cores, load %s -> %s",
                    label(), total(), perJvm(), latency.describeMicros(), commandsPerOp(), evalshaPerOp(), redisCores,
                    otherCores, loadBefore, loadAfter);
        }
    }

    static final class Settings {
        List<Integer> fleets = List.of(1, 4);
        int threads = 32;
        Duration warmup = Duration.ofSeconds(5);
        Duration measure = Duration.ofSeconds(10);
        List<String> workloads = List.of("ping", "evalsha", "acquire", "Bucket4j", "Bucket4j_Batching", "Redisson");
        String limit = "1000000000/1s";
        Duration quietWait = Duration.ofSeconds(10);
        Path out;
        /** Where each worker writes a JFR recording (settings {@code profile}), or {@code null} for none. */
        Path jfr;
        /** Given to every worker JVM as is, e.g. a profiler's {@code -agentpath:…}. */
        List<String> workerJvmArgs = new ArrayList<>();
        boolean smoke;

        static Settings parse(String[] args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--smoke":
                        s.smoke = true;
                        s.fleets = List.of(2);
                        s.threads = 4;
                        s.warmup = Duration.ofMillis(300);
                        s.measure = Duration.ofMillis(700);
                        s.workloads = List.of("acquire", "Bucket4j_Batching", "Redisson");
                        s.quietWait = Duration.ZERO;
                        break;
                    case "--quiet-wait":
                        s.quietWait = Duration.ofSeconds(Long.parseLong(Options.value(args, ++i, a)));
                        break;
                    case "--jvms":
                        s.fleets = Arrays.stream(Options.value(args, ++i, a).split(",")).map(String::trim)
                                .map(Integer::parseInt).collect(Collectors.toList());
                        break;
                    case "--threads":
                        s.threads = Integer.parseInt(Options.value(args, ++i, a));
                        break;
                    case "--warmup":
                        s.warmup = Duration.ofMillis((long) (Double.parseDouble(Options.value(args, ++i, a)) * 1000));
                        break;
                    case "--measure":
                        s.measure = Duration.ofMillis((long) (Double.parseDouble(Options.value(args, ++i, a)) * 1000));
                        break;
                    case "--workloads":
                        s.workloads = Arrays.stream(Options.value(args, ++i, a).split(",")).map(String::trim)
                                .collect(Collectors.toList());
                        break;
                    case "--limit":
                        s.limit = Options.value(args, ++i, a);
                        break;
                    case "--out":
                        s.out = Paths.get(Options.value(args, ++i, a));
                        break;
                    case "--worker-jvm-arg":
                        s.workerJvmArgs.add(Options.value(args, ++i, a));
                        break;
                    case "--jfr":
                        s.jfr = Paths.get(Options.value(args, ++i, a)).toAbsolutePath();
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + a + "; known: --jvms 1,4 --threads 32 "
                                + "--warmup 5 --measure 10 --workloads ping,evalsha,acquire,Bucket4j,Bucket4j_Batching,"
                                + "Redisson --limit 1000000000/1s --jfr dir --worker-jvm-arg -agentpath:… "
                                + "--quiet-wait 10 --out file.md --smoke");
                }
            }
            return s;
        }

        String describe() {
            return (smoke ? "SMOKE " : "") + "fleets " + fleets + " JVMs × " + threads + " threads, workloads "
                    + workloads + ", warm-up " + warmup.toMillis() / 1000.0 + " s, measured "
                    + measure.toMillis() / 1000.0 + " s, acquire limit requests = " + limit;
        }
    }
}
