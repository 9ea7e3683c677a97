package dev.ratequeue.bench;

import dev.ratequeue.testing.RedisServer;
import dev.ratequeue.testing.WorkerJvm;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The wait of high-priority calls while a backlog of low-priority calls is queued, for RateQueue with priorities,
 * for RateQueue with every call at one priority (its FIFO order), and for the anchors, which have no priorities:
 * their wait for the same arrival pattern, in whatever order they serve.
 *
 * <h2>Workload</h2>
 * One {@code redis-server} ({@link RedisServer}) for the whole run, flushed before each contender; the contenders
 * run one after another ({@code --contenders}, default {@code RateQueue_Redis,RateQueue_Redis_FIFO,Bucket4j,
 * Bucket4j_Batching,Redisson}), each with the one limit {@code --limit} (default {@code 20/1s}, smooth) on its own
 * key. Per contender three {@link PriorityWorker} JVMs ({@link WorkerJvm}, {@code -Xmx256m}) are started and given
 * one start time t0. At t0 two backlog JVMs each start {@code --backlog} (default 100) blocking low-priority calls
 * at once ({@code acquire(0)}, one thread each) and replace every call granted by a new one, so that about
 * 2 × backlog calls stay queued (10 s of work at the defaults) for the whole measurement. From t0 + 1 s the probe
 * JVM makes one high-priority call ({@code acquire(10)}, a thread each) every {@code --every} (default
 * {@code 500ms}) for {@code --seconds} (default 8): that is the measured window. {@code RateQueue_Redis_FIFO} makes
 * the same probe calls at priority 0. Bucket4j ({@code asBlocking().consume(1)}) reserves tokens, which serves
 * its waiters in arrival order; Redisson's {@code RRateLimiter.acquire()} polls, in no order.
 *
 * <h2>Reported</h2>
 * Per contender: the wait of the high-priority (probe) calls, p50 / p90 / max in ms, from arrival to grant; the
 * same for the low-priority calls that arrived inside the window; grants per second over the window, all calls
 * together, counted when the calling thread resumes (priorities must not waste capacity: it should stay at the
 * limit; on a machine short of CPU, late wake-ups move grants across the window's edges); the ratio of RateQueue's
 * high-priority p50 to each row's high-priority p50 (to its own FIFO wait and to each anchor's); calls still
 * waiting when the run stopped ({@code --drain}, default 20 s after the window, counted with their wait so far);
 * the CPU used by other processes during the window and the load average before and after.
 *
 * <h2>Run</h2>
 * <pre>
 * mvn -q -o install -DskipTests \
 *   &amp;&amp; java -cp bench/target/benchmarks.jar dev.ratequeue.bench.PriorityRun
 * </pre>
 * Options: {@code --limit 20/1s --backlog 100 --every 500ms --seconds 8 --drain 20
 * --contenders RateQueue_Redis,RateQueue_Redis_FIFO,Bucket4j,Bucket4j_Batching,Redisson --quiet-wait 10
 * --out results.md}; before each contender it waits up to {@code --quiet-wait} seconds for the machine to be quiet
 * and reports whether it was. The default run takes about two and a half minutes. {@code --smoke} (under 25 s:
 * limit 50/1s, backlog 20 per JVM, 3 s, RateQueue with priorities and Bucket4j) and every run exit non-zero when a
 * worker failed, nothing was granted, RateQueue fell back to its in-JVM coordinator, or RateQueue's high-priority
 * p50 wait was not below the p50 wait of its low-priority (FIFO) calls: then the scenario measured nothing.
 */
public final class PriorityRun {

    /** Probe calls start this long after the backlog, so that it is queued when they arrive. */
    static final Duration PROBE_OFFSET = Duration.ofSeconds(1);
    static final int HIGH = 10;
    static final int LOW = 0;
    static final String FIFO_SUFFIX = "_FIFO";

    private PriorityRun() {
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        List<Result> results = new ArrayList<>();
        RunReport report;
        try (RedisServer redis = RedisServer.start();
                Competitor.Lettuce control = new Competitor.Lettuce(redis.uri())) {
            report = RunReport.start(redis, s.describe());
            for (Entry e : s.contenders) {
                Result r = run(redis, control, s, e);
                results.add(r);
                System.out.println(r.summary());
            }
        }
        report.tables(table(s, results));
        report.finish(s.out, results.stream().flatMap(r -> r.problems.stream()).collect(Collectors.toList()));
    }

    private static Result run(RedisServer redis, Competitor.Lettuce control, Settings s, Entry e)
            throws InterruptedException {
        Result r = new Result(e);
        long began = System.nanoTime();
        control.sync.flushall();
        r.quiet = s.quietWait.isZero() ? "not checked" : Machine.awaitQuiet(s.quietWait, LatencyRun.QUIET_CORES);
        r.loadBefore = Machine.loadAverage();
        List<WorkerJvm> workers = new ArrayList<>();
        try {
            String key = e.contender.key("priority") + (e.fifo ? "-fifo" : "");
            for (int i = 1; i <= 2; i++) {
                workers.add(worker(redis, s, e, key, "backlog" + i, "backlog", LOW, s.backlog));
            }
            WorkerJvm probe = worker(redis, s, e, key, "probe", "probe", e.highPriority, s.probeCalls());
            workers.add(probe);
            long start = CommonStart.startTogether(control, workers, PriorityWorker.GO_KEY_PREFIX, 300);
            long from = start + PROBE_OFFSET.toMillis();
            long to = from + s.window.toMillis();
            FleetWorker.sleepUntil(from);
            CpuWindow cpu = CpuWindow.open(redis, workers);
            FleetWorker.sleepUntil(to);
            cpu.close();
            r.otherCores = cpu.otherCores();
            r.stealCores = cpu.stealCores();
            // Every worker keeps its calls queued until all measured calls are granted, or the drain time is up.
            long deadline = to + s.drain.toMillis();
            for (WorkerJvm w : workers) {
                while (w.isAlive() && w.outputLines().stream().noneMatch(l -> l.startsWith("MEASURED"))
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
            }
            for (WorkerJvm w : workers) {
                control.sync.lpush(PriorityWorker.STOP_KEY_PREFIX + w.name(), "stop");
            }
            for (WorkerJvm w : workers) {
                String result = w.awaitLine(line -> line.startsWith("RESULT "), Duration.ofSeconds(30));
                String histogram = w.awaitLine(line -> line.startsWith("HISTOGRAM "), Duration.ofSeconds(10));
                r.add(w == probe, w.name(), FleetWorker.parse(Arrays.copyOfRange(result.split(" "), 2, 7)),
                        LatencyHistogram.decode(histogram.substring(histogram.indexOf(' ', 10) + 1)));
                int exit = w.awaitExit(Duration.ofSeconds(30));
                if (exit != 0) {
                    r.problems.add(w.name() + " of " + e.label + " exited with " + exit);
                }
            }
            r.seconds = s.window.toMillis() / 1000.0;
            r.check();
        } catch (AssertionError failed) {
            // A worker that failed to start or report: this contender has no numbers, the others still run.
            r.problems.add(e.label + ": " + failed.getMessage());
            r.failed = true;
        } finally {
            workers.forEach(WorkerJvm::close);
            r.loadAfter = Machine.loadAverage();
            r.runSeconds = (System.nanoTime() - began) / 1e9;
        }
        return r;
    }

    private static WorkerJvm worker(RedisServer redis, Settings s, Entry e, String key, String name, String role,
            int priority, int calls) {
        WorkerJvm.Builder b = WorkerJvm.builder().name(name).mainClass(PriorityWorker.class)
                .classpath(FleetThroughput.workerClasspath());
        if (s.smoke) {
            // Three JVMs per contender start on a small machine: C1 alone starts them faster, and a smoke run
            // measures nothing a compiler would change.
            b.jvmArg("-XX:TieredStopAtLevel=1");
        }
        return b
                .arg("redis=" + redis.uri(), "name=" + name, "role=" + role, "contender=" + e.contender.label(),
                        "key=" + key, "limit=" + s.limit, "priority=" + priority, "calls=" + calls,
                        "everyMs=" + s.every.toMillis(), "offsetMs=" + PROBE_OFFSET.toMillis(),
                        "windowMs=" + s.window.toMillis())
                .start();
    }

    static String table(Settings s, List<Result> results) {
        double perSecond = LimitSpec.parse("--limit", s.limit).perSecond();
        Result rateQueue = results.stream().filter(r -> !r.failed && r.entry.isRateQueueWithPriorities())
                .findFirst().orElse(null);
        StringBuilder t = new StringBuilder();
        t.append("| contender | order | high wait p50 / p90 / max (ms) | low wait p50 / p90 / max (ms) "
                + "| high / low calls | still waiting at stop (high / low) | grants/s in window (of the limit) "
                + "| RateQueue high p50 ÷ this high p50 | other CPU (cores, of which steal) | before "
                + "| load before → after |\n");
        t.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Result r : results) {
            if (r.failed) {
                t.append("| ").append(r.entry.label).append(" | ").append(r.entry.order)
                        .append(" | failed: see the log | | | | | | | | |\n");
                continue;
            }
            t.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %s | %d / %d | %d / %d | %.1f (%.0f%%) | %s | %.2f (%.2f) | %s | %s → %s |\n",
                    r.entry.label, r.entry.order, ms(r.high), ms(r.low), r.high.count(), r.low.count(),
                    r.unfinishedHigh, r.unfinishedLow, r.grantsPerSecond(), 100 * r.grantsPerSecond() / perSecond,
                    rateQueue == null ? "n/a" : ratio(rateQueue.high.percentileNanos(0.5), r.high.percentileNanos(0.5)),
                    r.otherCores, r.stealCores, r.quiet, r.loadBefore, r.loadAfter));
        }
        t.append('\n');
        t.append(String.format(Locale.ROOT, "- Limit %s: one grant every %.1f ms; backlog %d calls (%.1f s of work "
                + "at the limit).%n", s.limit, 1000 / perSecond, 2 * s.backlog, 2 * s.backlog / perSecond));
        if (rateQueue != null) {
            double p50 = rateQueue.high.percentileNanos(0.5);
            t.append(String.format(Locale.ROOT, "- %s high-priority p50 %.1f ms = %.2f grant intervals", rateQueue
                    .entry.label, p50 / 1e6, p50 / 1e9 * perSecond));
            for (Result r : results) {
                if (r != rateQueue && !r.failed) {
                    t.append(String.format(Locale.ROOT, "; ÷ %s high p50 (%.1f ms) = %s", r.entry.label,
                            r.high.percentileNanos(0.5) / 1e6, ratio(p50, r.high.percentileNanos(0.5))));
                }
            }
            t.append(String.format(Locale.ROOT, "; ÷ its own low-priority p50 (%.1f ms) = %s.%n",
                    rateQueue.low.percentileNanos(0.5) / 1e6, ratio(p50, rateQueue.low.percentileNanos(0.5))));
        }
        return t.toString();
    }

    private static String ms(LatencyHistogram h) {
        if (h.count() == 0) {
            return "none";
        }
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", h.percentileNanos(0.5) / 1e6,
                h.percentileNanos(0.9) / 1e6, h.percentileNanos(1.0) / 1e6);
    }

    private static String ratio(double numerator, double denominator) {
        return denominator <= 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", numerator / denominator);
    }

    /** A contender as this scenario runs it: an entry of {@link Contenders} and the priority of its probe calls. */
    record Entry(String label, Contenders contender, int highPriority, boolean fifo, String order) {

        static Entry parse(String option, String label) {
            boolean fifo = label.toUpperCase(Locale.ROOT).endsWith(FIFO_SUFFIX)
                    && label.length() > FIFO_SUFFIX.length();
            Contenders c = Contenders.byLabel(option, fifo ? label.substring(0, label.length()
                    - FIFO_SUFFIX.length()) : label);
            if (!c.needsRedis() || !c.limitsRate()) {
                throw new IllegalArgumentException(option + " must name rate limiters shared through Redis (the "
                        + "calls come from three JVMs), was '" + label + "'");
            }
            if (c == Contenders.RATEQUEUE_REDIS) {
                return fifo ? new Entry(c.label() + FIFO_SUFFIX, c, LOW, true, "FIFO (every call at priority 0)")
                        : new Entry(c.label(), c, HIGH, false, "priority (10 over 0), then FIFO");
            }
            if (fifo) {
                throw new IllegalArgumentException(option + ": only RateQueue_Redis has a " + FIFO_SUFFIX
                        + " variant (the anchors have no priorities), was '" + label + "'");
            }
            // The anchors get the same calls; they ignore the priority.
            String order = c == Contenders.REDISSON ? "none (waiters poll)" : "reservations (arrival order)";
            return new Entry(c.label(), c, HIGH, false, order);
        }

        boolean isRateQueueWithPriorities() {
            return contender == Contenders.RATEQUEUE_REDIS && !fifo;
        }
    }

    /** What the workers of one contender reported. */
    static final class Result {
        final Entry entry;
        final LatencyHistogram high = new LatencyHistogram();
        final LatencyHistogram low = new LatencyHistogram();
        final List<String> problems = new ArrayList<>();
        long grants;
        long unfinishedHigh;
        long unfinishedLow;
        long errors;
        long fallback;
        double seconds;
        double runSeconds;
        double otherCores;
        double stealCores;
        boolean failed;
        String quiet;
        String loadBefore;
        String loadAfter;

        Result(Entry entry) {
            this.entry = entry;
        }

        void add(boolean probe, String name, Map<String, String> result, LatencyHistogram waits) {
            long unfinished = Long.parseLong(result.get("unfinished"));
            (probe ? high : low).add(waits);
            if (probe) {
                unfinishedHigh += unfinished;
            } else {
                unfinishedLow += unfinished;
            }
            grants += Long.parseLong(result.get("grants"));
            long e = Long.parseLong(result.get("errors"));
            long f = Long.parseLong(result.get("fallback"));
            errors += e;
            fallback += f;
            if (e != 0) {
                problems.add(name + " of " + entry.label + " had " + e + " failed calls");
            }
            if (f != 0) {
                problems.add(name + " of " + entry.label + " got " + f
                        + " permits from the in-JVM fallback: Redis was not reached");
            }
        }

        void check() {
            if (grants == 0) {
                problems.add(entry.label + " granted nothing in the window");
            }
            if (high.count() == 0) {
                problems.add(entry.label + " measured no high-priority call");
            }
            if (entry.isRateQueueWithPriorities() && high.count() > 0 && low.count() > 0
                    && high.percentileNanos(0.5) >= low.percentileNanos(0.5)) {
                problems.add(String.format(Locale.ROOT, "%s: high-priority p50 wait %.1f ms is not below the "
                        + "low-priority (FIFO) p50 wait %.1f ms: priorities made no difference", entry.label,
                        high.percentileNanos(0.5) / 1e6, low.percentileNanos(0.5) / 1e6));
            }
        }

        double grantsPerSecond() {
            return seconds == 0 ? 0 : grants / seconds;
        }

        String summary() {
            if (failed) {
                return String.format(Locale.ROOT, "%s: failed after %.1f s", entry.label, runSeconds);
            }
            return String.format(Locale.ROOT, "%-22s high wait %s ms, low wait %s ms (p50/p90/max), %.1f grants/s, "
                    + "still waiting %d/%d, other load %.2f cores, load %s -> %s, %.1f s", entry.label, ms(high),
                    ms(low), grantsPerSecond(), unfinishedHigh, unfinishedLow, otherCores, loadBefore, loadAfter,
                    runSeconds);
        }
    }

    static final class Settings {
        String limit = "20/1s";
        int backlog = 100;
        Duration every = Duration.ofMillis(500);
        Duration window = Duration.ofSeconds(8);
        Duration drain = Duration.ofSeconds(20);
        List<Entry> contenders = entries("--contenders",
                "RateQueue_Redis,RateQueue_Redis_FIFO,Bucket4j,Bucket4j_Batching,Redisson");
        Duration quietWait = Duration.ofSeconds(10);
        Path out;
        boolean smoke;

        static Settings parse(String[] args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--smoke":
                        s.smoke = true;
                        s.limit = "50/1s";
                        s.backlog = 20;
                        s.window = Duration.ofSeconds(3);
                        s.drain = Duration.ofSeconds(5);
                        s.contenders = entries(a, "RateQueue_Redis,Bucket4j");
                        s.quietWait = Duration.ZERO;
                        break;
                    case "--limit":
                        s.limit = Options.value(args, ++i, a);
                        LimitSpec.parse(a, s.limit);
                        break;
                    case "--backlog":
                        s.backlog = Options.positive(a, Options.value(args, ++i, a));
                        break;
                    case "--every":
                        s.every = duration(a, Options.value(args, ++i, a));
                        break;
                    case "--seconds":
                        s.window = seconds(a, Options.value(args, ++i, a));
                        break;
                    case "--drain":
                        s.drain = seconds(a, Options.value(args, ++i, a));
                        break;
                    case "--contenders":
                        s.contenders = entries(a, Options.value(args, ++i, a));
                        break;
                    case "--quiet-wait":
                        s.quietWait = seconds(a, Options.value(args, ++i, a));
                        break;
                    case "--out":
                        s.out = Paths.get(Options.value(args, ++i, a));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + a + "; known: --limit 20/1s "
                                + "--backlog 100 --every 500ms --seconds 8 --drain 20 --contenders "
                                + "RateQueue_Redis,RateQueue_Redis_FIFO,Bucket4j,Bucket4j_Batching,Redisson "
                                + "--quiet-wait 10 --out file.md --smoke");
                }
            }
            if (s.every.compareTo(s.window) > 0) {
                throw new IllegalArgumentException("--every (" + s.every.toMillis() + " ms) must not be longer than "
                        + "--seconds (" + s.window.toMillis() + " ms): the window would hold no high-priority call");
            }
            return s;
        }

        int probeCalls() {
            return (int) (window.toMillis() / every.toMillis());
        }

        private static List<Entry> entries(String option, String labels) {
            return Arrays.stream(labels.split(",")).map(String::trim).filter(l -> !l.isEmpty())
                    .map(l -> Entry.parse(option, l)).collect(Collectors.toList());
        }

        private static Duration seconds(String option, String value) {
            try {
                double n = Double.parseDouble(value);
                if (n >= 0 && !Double.isInfinite(n)) {
                    return Duration.ofMillis(Math.round(n * 1000));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " must be a number of seconds >= 0, was '" + value + "'");
        }

        /** {@code 500ms}, {@code 1s}, {@code 1.5s}: a positive duration in ms or s. */
        private static Duration duration(String option, String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                long millis = v.endsWith("ms") ? Long.parseLong(v.substring(0, v.length() - 2))
                        : v.endsWith("s") ? Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000)
                        : -1;
                if (millis > 0) {
                    return Duration.ofMillis(millis);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " must be a positive duration such as 500ms or 1s, was '"
                    + value + "'");
        }

        String describe() {
            return (smoke ? "SMOKE " : "") + "limit " + limit + " (smooth), backlog " + backlog + " calls × 2 JVMs "
                    + "at priority " + LOW + ", one high-priority call (priority " + HIGH + ") every "
                    + every.toMillis() + " ms for " + window.toMillis() / 1000.0 + " s from t0 + "
                    + PROBE_OFFSET.toMillis() / 1000.0 + " s, drain up to " + drain.toMillis() / 1000.0
                    + " s, contenders " + contenders.stream().map(Entry::label).collect(Collectors.joining(", "));
        }
    }
}
