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
 * A fleet that wants far more than its limit, all on one key: how many permits each limiter lets through, how
 * evenly, and what a refused try-acquire costs, for RateQueue and the anchors on the same Redis in the same run.
 *
 * <h2>Workload</h2>
 * One {@code redis-server} ({@link RedisServer}) for the whole run. For each mode ({@code --modes}, default
 * {@code acquire,try}) and each contender ({@code --contenders}, default {@code RateQueue_Redis, Bucket4j,
 * Bucket4j_Batching, Redisson}, opened by {@link Contenders} with one {@link LimitSpec}: {@code --limit}, default
 * {@code 100/1s}, and {@code --burst}, default 0), one after another, the harness flushes Redis, starts {@code
 * --jvms} {@link OverloadWorker} JVMs (default 4) of {@code --threads} threads each (default 16), waits until every
 * one is connected, and gives them one common start time. From that start, with no warm-up on the measured key
 * (the first second is where a token bucket that starts full overshoots), every thread loops for {@code --seconds}
 * (default 10) on the blocking {@code acquire()} ({@code acquire} mode) or on {@code tryAcquire()} without pausing
 * ({@code try} mode: the worst case). Meanwhile a {@link RoundTripProbe} in this JVM alternates Lettuce {@code PING}
 * and {@code EVALSHA} of {@code return 1} back to back: the round trip under the same load.
 *
 * <h2>Reported</h2>
 * From every grant's time on the machine's wall clock (per millisecond, added up over the JVMs): the most permits
 * in any window of the limit's period slid 1 ms at a time, and where it started, against the target {@code limit +
 * burst} (PASS/MISS); the first period alone; the most in any tenth of the period (about a tenth of the limit
 * when grants are spread evenly, up to all of it when they come in bursts); the total against {@code limit ×
 * seconds + burst}; grants per second. Grant times are when the call returned in the application, so scheduling
 * jitter on a busy machine can move a permit or two across a window's edge.
 * For {@code try}: tries per second; the latency of refused and of granted tries (p50/p99/p99.9) and the refused p50
 * as a multiple of the probe's {@code PING} and {@code EVALSHA} p50, against the target of one round trip (PASS
 * when at most {@value #ONE_ROUND_TRIP} × the {@code EVALSHA} p50: a limiter's script does some work of its own);
 * Redis commands per try, and {@code EVALSHA}+{@code EVAL} per try, from the {@code INFO commandstats} difference
 * over the window, the probe's own commands taken off. For every run: the CPU used by everything else on the
 * machine during the window ({@link Machine}) and the load average before and after.
 *
 * <h2>Run</h2>
 * <pre>
 * mvn -q -o install -DskipTests \
 *   &amp;&amp; java -cp bench/target/benchmarks.jar dev.ratequeue.bench.OverloadRun
 * </pre>
 * Options: {@code --jvms 4 --threads 16 --limit 100/1s --burst 0 --seconds 10 --modes acquire,try
 * --contenders RateQueue_Redis,Bucket4j,Bucket4j_Batching,Redisson --quiet-wait 5 --out results.md}; the default
 * run takes about 2.5 minutes. {@code --smoke} runs 2 JVMs of 4 threads for 2 s, both modes, RateQueue_Redis and
 * Bucket4j only. Any run exits non-zero when a worker failed or exited badly, a contender granted nothing, or
 * RateQueue took a permit from its in-JVM fallback instead of Redis.
 */
public final class OverloadRun {

    /** A refused try within this many {@code EVALSHA} round trips of {@code return 1} counts as one round trip. */
    static final double ONE_ROUND_TRIP = 1.25;

    private static final String SCENARIO = "overload";
    private static final long START_DELAY_MS = 300;

    private OverloadRun() {
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        List<Result> results = new ArrayList<>();
        RunReport report;
        try (RedisServer redis = RedisServer.start();
                Competitor.Lettuce control = new Competitor.Lettuce(redis.uri())) {
            report = RunReport.start(redis, s.describe());
            for (String mode : s.modes) {
                for (Contenders contender : s.contenders) {
                    Result r = run(redis, control, s, contender, mode);
                    results.add(r);
                    System.out.println(r.summary());
                }
            }
        }
        report.tables(tables(s, results));
        report.finish(s.out, results.stream().flatMap(r -> r.problems.stream()).collect(Collectors.toList()));
    }

    private static Result run(RedisServer redis, Competitor.Lettuce control, Settings s, Contenders contender,
            String mode) throws Exception {
        Result r = new Result(contender, mode, s);
        control.sync.flushall();
        r.quiet = s.quietWait.isZero() ? "not checked" : Machine.awaitQuiet(s.quietWait, LatencyRun.QUIET_CORES);
        r.loadBefore = Machine.loadAverage();
        int durationMs = (int) s.duration.toMillis();
        List<WorkerJvm> workers = new ArrayList<>();
        try (RoundTripProbe probe = new RoundTripProbe(redis.uri())) {
            for (int i = 1; i <= s.jvms; i++) {
                workers.add(WorkerJvm.builder().name("w" + i).mainClass(OverloadWorker.class)
                        .classpath(FleetThroughput.workerClasspath()).jvmArg(s.workerJvmArgs.toArray(String[]::new))
                        .arg("redis=" + redis.uri(), "name=w" + i, "contender=" + contender.label(),
                                "key=" + contender.key(SCENARIO), "limit=" + s.limitText, "burst=" + s.burst,
                                "mode=" + mode, "threads=" + s.threads, "durationMs=" + durationMs)
                        .start());
            }
            long start = CommonStart.startTogether(control, workers, FleetWorker.GO_KEY_PREFIX, START_DELAY_MS);
            long end = start + durationMs;
            probe.start(start, end);
            FleetWorker.sleepUntil(start);
            CommandStats statsBefore = CommandStats.read(control.sync);
            CpuWindow cpu = CpuWindow.open(redis, workers);
            probe.await();
            CommandStats statsAfter = CommandStats.read(control.sync);
            cpu.close();
            r.ping = probe.ping();
            r.evalsha = probe.evalsha();
            r.commands = statsAfter.minus(statsBefore).without("ping", r.ping.count())
                    .without("evalsha", r.evalsha.count());
            r.otherCores = cpu.otherCores();
            r.stealCores = cpu.stealCores();
            for (WorkerJvm w : workers) {
                r.add(w);
            }
            r.finish();
        } catch (AssertionError | RuntimeException e) {
            // One contender that cannot run should not hide the others' numbers.
            r.problems.add(r.label() + ": " + e.getMessage());
        } finally {
            workers.forEach(WorkerJvm::close);
            r.loadAfter = Machine.loadAverage();
        }
        return r;
    }

    static String tables(Settings s, List<Result> results) {
        long target = s.limit.permits() + s.burst;
        String window = s.limit.period().toMillis() + " ms";
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Grants: limit %s, burst %d, %d JVMs × %d threads, %d s from a common "
                + "start; target: at most %d in any %s window%n%n", s.limitText, s.burst, s.jvms, s.threads,
                s.duration.toSeconds(), target, window));
        int tenthMs = (int) Math.max(1, s.limit.period().toMillis() / 10);
        t.append("| contender | mode | burst | max in any " + window + " window (starts at) | ≤ " + target
                + " | first " + window + " | max in any " + tenthMs + " ms (even: " + (evenTenth(s) + s.burst)
                + ") | total / allowed | grants per second | max in any " + window + " window by the limiter's "
                + "clock | other CPU (cores, steal) | before | load before → after |\n");
        t.append("|---|---|---:|---:|---|---:|---:|---:|---|---:|---:|---|---|\n");
        for (Result r : results) {
            if (r.timeline == null) {
                t.append("| ").append(r.contender.label()).append(" | ").append(r.mode)
                        .append(" | failed: see below ||||||||||\n");
                continue;
            }
            String byLimiter = r.decided.total() == 0 ? "–" : r.decided.busiestWindow(
                    (int) s.limit.period().toMillis())[1] + " of " + r.decided.total();
            t.append(String.format(Locale.ROOT, "| %s | %s | %d | %d (%s) | %s | %d | %d | %d / %d | %s | %s "
                            + "| %.2f (%.2f) | %s | %s → %s |%n",
                    r.contender.label(), r.mode, s.burst, r.busiest[1], GrantTimeline.seconds(r.busiest[0]),
                    r.busiest[1] <= target ? "PASS" : "MISS", r.firstPeriod,
                    r.timeline.busiestWindow(tenthMs)[1], r.timeline.total(), r.allowed(),
                    r.timeline.perSecond(), byLimiter, r.otherCores, r.stealCores, r.quiet, r.loadBefore,
                    r.loadAfter));
        }
        List<Result> tries = results.stream().filter(r -> r.mode.equals("try") && r.timeline != null)
                .collect(Collectors.toList());
        if (!tries.isEmpty()) {
            t.append(String.format(Locale.ROOT, "%nTry-acquire in a loop: latency in µs; target: a refused try "
                    + "costs at most one round trip (refused p50 ≤ %.2f × EVALSHA p50 of the probe, same run)%n%n",
                    ONE_ROUND_TRIP));
            t.append("| contender | tries/s | refused p50 / p99 / p99.9 | granted p50 / p99 / p99.9 "
                    + "| PING p50 / p99 | EVALSHA p50 / p99 | refused p50 ÷ PING p50 | ÷ EVALSHA p50 "
                    + "| ≤ 1 round trip | Redis cmds/try | EVALSHA+EVAL/try |\n");
            t.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
            for (Result r : tries) {
                double refused = r.refused.percentileNanos(0.5);
                double perEvalsha = refused / r.evalsha.percentileNanos(0.5);
                boolean anyRefused = r.refused.count() > 0;
                t.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %s | %s | %s | %s | %s | %s | %.2f "
                                + "| %.3f |%n",
                        r.contender.label(), r.calls / r.seconds(), micros(r.refused, true), micros(r.granted, true),
                        micros(r.ping, false), micros(r.evalsha, false),
                        anyRefused ? ratio(refused / r.ping.percentileNanos(0.5)) : "n/a",
                        anyRefused ? ratio(perEvalsha) : "n/a",
                        anyRefused ? perEvalsha <= ONE_ROUND_TRIP ? "PASS" : "MISS" : "n/a (none refused)",
                        r.commands.totalCalls() / (double) r.calls,
                        (r.commands.calls("evalsha") + r.commands.calls("eval")) / (double) r.calls));
            }
        }
        t.append('\n');
        for (Result r : results) {
            if (r.commands != null && r.calls > 0) {
                t.append(String.format(Locale.ROOT, "- %s %s: Redis commands per %s: %s%n", r.contender.label(),
                        r.mode, r.mode.equals("try") ? "try" : "acquire", r.commands.describePer(r.calls)));
            }
        }
        for (Result r : tries) {
            t.append(String.format(Locale.ROOT, "- %s try: tries per second: %s%n", r.contender.label(),
                    Arrays.stream(r.callsPerSecond).mapToObj(Long::toString).collect(Collectors.joining(" "))));
        }
        for (Result r : results) {
            r.problems.forEach(p -> t.append("- FAILED: ").append(p).append('\n'));
        }
        return t.toString();
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    /** Permits in a tenth of the period when they are spread evenly: what a smooth limiter shows there. */
    private static long evenTenth(Settings s) {
        return (long) Math.ceil(s.limit.permits() / 10.0);
    }

    private static String micros(LatencyHistogram h, boolean withTail) {
        if (h.count() == 0) {
            return "none";
        }
        return withTail
                ? String.format(Locale.ROOT, "%.0f / %.0f / %.0f", h.percentileNanos(0.5) / 1e3,
                        h.percentileNanos(0.99) / 1e3, h.percentileNanos(0.999) / 1e3)
                : String.format(Locale.ROOT, "%.0f / %.0f", h.percentileNanos(0.5) / 1e3,
                        h.percentileNanos(0.99) / 1e3);
    }

    /** One contender in one mode: what its workers reported and what Redis and the machine did meanwhile. */
    static final class Result {
        final Contenders contender;
        final String mode;
        final Settings settings;
        final LatencyHistogram refused = new LatencyHistogram();
        final LatencyHistogram granted = new LatencyHistogram();
        final List<String> problems = new ArrayList<>();
        GrantTimeline timeline;
        /** The same grants by the limiter's own clock, where it says when a permit took effect (else empty). */
        GrantTimeline decided;
        long[] busiest;
        long firstPeriod;
        long calls;
        long[] callsPerSecond;
        LatencyHistogram ping;
        LatencyHistogram evalsha;
        CommandStats commands;
        double otherCores;
        double stealCores;
        String quiet;
        String loadBefore;
        String loadAfter;

        Result(Contenders contender, String mode, Settings settings) {
            this.contender = contender;
            this.mode = mode;
            this.settings = settings;
        }

        String label() {
            return contender.label() + " " + mode;
        }

        double seconds() {
            return settings.duration.toMillis() / 1000.0;
        }

        long allowed() {
            return Math.round(settings.limit.perSecond() * seconds()) + settings.burst;
        }

        /** Reads one worker's lines; the timeline is complete once every worker was added. */
        void add(WorkerJvm w) {
            Duration wait = Duration.ofSeconds(30);
            String grants = w.awaitLine(line -> line.startsWith("GRANTS "), wait);
            String decidedLine = w.awaitLine(line -> line.startsWith("DECIDED "), wait);
            String tries = w.awaitLine(line -> line.startsWith("TRIES "), wait);
            String result = w.awaitLine(line -> line.startsWith("RESULT "), wait);
            String refusedLine = w.awaitLine(line -> line.startsWith("REFUSED "), wait);
            String grantedLine = w.awaitLine(line -> line.startsWith("GRANTED "), wait);
            int exit = w.awaitExit(wait);
            if (timeline == null) {
                timeline = new GrantTimeline((int) settings.duration.toMillis());
                decided = new GrantTimeline((int) settings.duration.toMillis());
                callsPerSecond = new long[(int) ((settings.duration.toMillis() + 999) / 1000)];
            }
            timeline.add(grants);
            decided.add(decidedLine);
            String[] perSecond = tries.split(" ")[2].split(",");
            for (int i = 0; i < perSecond.length && i < callsPerSecond.length; i++) {
                callsPerSecond[i] += Long.parseLong(perSecond[i]);
            }
            refused.add(LatencyHistogram.decode(refusedLine.substring(refusedLine.indexOf(' ', 8) + 1)));
            granted.add(LatencyHistogram.decode(grantedLine.substring(grantedLine.indexOf(' ', 8) + 1)));
            Map<String, String> o = FleetWorker.parse(Arrays.copyOfRange(result.split(" "), 2, 6));
            calls += Long.parseLong(o.get("calls"));
            String who = w.name() + " of " + label();
            if (exit != 0) {
                problems.add(who + " exited with " + exit);
            }
            long errors = Long.parseLong(o.get("errors"));
            if (errors != 0) {
                problems.add(who + " had " + errors + " failed calls (its stderr has the first)");
            }
            long fallback = Long.parseLong(o.get("fallback"));
            if (fallback != 0) {
                problems.add(who + " got " + fallback + " permits from the in-JVM fallback: Redis was not reached");
            }
        }

        /** Once every worker was added. */
        void finish() {
            busiest = timeline.busiestWindow((int) settings.limit.period().toMillis());
            firstPeriod = timeline.between(0, (int) settings.limit.period().toMillis());
            if (timeline.total() == 0) {
                problems.add(label() + " granted nothing");
            }
        }

        String summary() {
            if (timeline == null) {
                return String.format(Locale.ROOT, "%-28s failed: %s", label(), String.join("; ", problems));
            }
            return String.format(Locale.ROOT,
                    "%-28s %d granted of %d allowed, max %d in a period (from %s), first period %d, per second [%s],"
                            + " %,.0f calls/s, refused %s, PING p50 %.0f µs, EVALSHA p50 %.0f µs, other load %.2f "
                            + "cores",
                    label(), timeline.total(), allowed(), busiest[1], GrantTimeline.seconds(busiest[0]), firstPeriod,
                    timeline.perSecond(), calls / seconds(), refused.count() == 0 ? "none" : refused.describeMicros(),
                    ping.percentileNanos(0.5) / 1e3, evalsha.percentileNanos(0.5) / 1e3, otherCores);
        }
    }

    static final class Settings {
        int jvms = 4;
        int threads = 16;
        String limitText = "100/1s";
        LimitSpec limit = LimitSpec.parse("--limit", limitText);
        long burst;
        Duration duration = Duration.ofSeconds(10);
        List<String> modes = List.of("acquire", "try");
        List<Contenders> contenders = List.of(Contenders.RATEQUEUE_REDIS, Contenders.BUCKET4J,
                Contenders.BUCKET4J_BATCHING, Contenders.REDISSON);
        Duration quietWait = Duration.ofSeconds(5);
        /** Smoke only: JVMs that start in half the time; a smoke run checks, it does not measure. */
        List<String> workerJvmArgs = List.of();
        Path out;
        boolean smoke;

        static Settings parse(String[] args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--smoke":
                        s.smoke = true;
                        s.jvms = 2;
                        s.threads = 4;
                        s.duration = Duration.ofSeconds(2);
                        s.contenders = List.of(Contenders.RATEQUEUE_REDIS, Contenders.BUCKET4J);
                        s.quietWait = Duration.ZERO;
                        s.workerJvmArgs = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
                        break;
                    case "--jvms":
                        s.jvms = Options.positive(a, Options.value(args, ++i, a));
                        break;
                    case "--threads":
                        s.threads = Options.positive(a, Options.value(args, ++i, a));
                        break;
                    case "--limit":
                        s.limitText = Options.value(args, ++i, a);
                        s.limit = LimitSpec.parse(a, s.limitText);
                        break;
                    case "--burst":
                        s.burst = Options.nonNegative(a, Options.value(args, ++i, a));
                        break;
                    case "--seconds":
                        s.duration = Duration.ofSeconds(Options.positive(a, Options.value(args, ++i, a)));
                        break;
                    case "--modes":
                        s.modes = list(Options.value(args, ++i, a));
                        for (String m : s.modes) {
                            if (!m.equals("acquire") && !m.equals("try")) {
                                throw new IllegalArgumentException("--modes must list acquire and/or try, was '"
                                        + m + "'");
                            }
                        }
                        break;
                    case "--contenders":
                        s.contenders = contenders(a, Options.value(args, ++i, a));
                        break;
                    case "--quiet-wait":
                        s.quietWait = Duration.ofSeconds(
                                Options.nonNegative(a, Options.value(args, ++i, a)));
                        break;
                    case "--out":
                        s.out = Paths.get(Options.value(args, ++i, a));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + a + "; known: --jvms 4 --threads 16 "
                                + "--limit 100/1s --burst 0 --seconds 10 --modes acquire,try --contenders "
                                + "RateQueue_Redis,Bucket4j,Bucket4j_Batching,Redisson --quiet-wait 5 --out file.md "
                                + "--smoke");
                }
            }
            s.limit = s.limit.withBurst(s.burst);
            return s;
        }

        private static List<Contenders> contenders(String option, String value) {
            List<Contenders> chosen = new ArrayList<>();
            for (String label : list(value)) {
                Contenders c = Contenders.byLabel(option, label);
                if (!c.needsRedis() || !c.limitsRate()) {
                    throw new IllegalArgumentException(option + " must name contenders that limit a rate through "
                            + "Redis, was '" + label + "'");
                }
                chosen.add(c);
            }
            return chosen;
        }

        private static List<String> list(String value) {
            return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty())
                    .collect(Collectors.toList());
        }

        String describe() {
            return (smoke ? "SMOKE " : "") + jvms + " JVMs × " + threads + " threads on one key, limit " + limitText
                    + " burst " + burst + ", " + duration.toSeconds() + " s each from a common start (no warm-up), "
                    + "modes " + modes + ", contenders "
                    + contenders.stream().map(Contenders::label).collect(Collectors.joining(", "))
                    + ", Redis flushed between runs";
        }
    }
}
