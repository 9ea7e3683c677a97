package dev.ratequeue.bench;

import dev.ratequeue.coordination.Permit;
import io.lettuce.core.KeyValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One worker JVM of {@link FleetThroughput}: {@code threads} threads repeat one operation as fast as they can from a
 * common start time for {@code warmupMs + measureMs}, and the JVM prints what it did in the measured window.
 *
 * <p>Arguments are {@code key=value}: {@code redis}, {@code name}, {@code workload} ({@code acquire}: RateQueue
 * {@code acquire(1, 0)} + {@code close()} on {@code resource} through the Redis coordinator; {@code ping} and
 * {@code evalsha}: the Lettuce anchors, all threads sharing one connection as the coordinator does; or any
 * {@link Competitor} by name, e.g. {@code Bucket4j_Batching}, its one client shared by all threads),
 * {@code resource}, {@code limit}, {@code threads}, {@code warmupMs}, {@code measureMs}.
 *
 * <p>Protocol on standard output: {@code READY <name>} once connected with every thread parked; then it waits on
 * Redis list {@code bench:go:<name>} for the start time (epoch milliseconds, the same for every worker, read from
 * the one clock of this machine); at the end {@code RESULT <name> permits=… nanos=… errors=… fallback=…} and
 * {@code HISTOGRAM <name> …} (latencies of the operations that started inside the window).
 */
public final class FleetWorker {

    static final String GO_KEY_PREFIX = "bench:go:";

    private enum Phase { WARMUP, MEASURE, DONE }

    private FleetWorker() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        String uri = o.get("redis");
        String name = o.get("name");
        String workload = o.get("workload");
        int threads = Integer.parseInt(o.get("threads"));
        long warmupMs = Long.parseLong(o.get("warmupMs"));
        long measureMs = Long.parseLong(o.get("measureMs"));

        Competitor.Lettuce control = new Competitor.Lettuce(uri);
        Competitor competitor = competitor(workload);
        LongAdder fallback = new LongAdder();
        // Every thread shares the one operation, as an application shares one client: Lettuce's connection, the
        // limiter, the bucket and Redisson's client are all made for that.
        Competitor.Op op = competitor.open(uri, Competitor.nonBindingLimits(o.get("resource"), o.get("limit")));
        AutoCloseable resources = op;
        Operation operation = () -> {
            Object result = op.run();
            // A permit from the in-JVM fallback means Redis was not reached: such a run measures nothing.
            if (result instanceof Permit && !result.getClass().getSimpleName().equals("RedisPermit")
                    && competitor.needsRedis()) {
                fallback.increment();
            }
        };
        operation.run(); // connects, seeds the resource, loads the script: none of that belongs in the window

        CountDownLatch go = new CountDownLatch(1);
        LongAdder done = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        AtomicReference<Phase> phase = new AtomicReference<>(Phase.WARMUP);
        List<LatencyHistogram> histograms = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            LatencyHistogram histogram = new LatencyHistogram();
            histograms.add(histogram);
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (Phase p; (p = phase.get()) != Phase.DONE; ) {
                    long started = System.nanoTime();
                    try {
                        operation.run();
                        done.increment();
                    } catch (Exception e) {
                        errors.increment();
                        firstError.compareAndSet(null, e);
                    }
                    if (p == Phase.MEASURE) {
                        histogram.record(System.nanoTime() - started);
                    }
                }
            }, name + "-t" + t);
            thread.start();
            workers.add(thread);
        }
        System.out.println("READY " + name);

        KeyValue<String, String> start = control.sync.blpop(120, GO_KEY_PREFIX + name);
        if (start == null || !start.hasValue()) {
            System.err.println("no start signal within 120 s");
            System.exit(2);
        }
        long startMs = Long.parseLong(start.getValue());
        sleepUntil(startMs);
        go.countDown();
        sleepUntil(startMs + warmupMs);
        long t0 = System.nanoTime();
        long c0 = done.sum();
        long e0 = errors.sum();
        long f0 = fallback.sum();
        phase.set(Phase.MEASURE);
        sleepUntil(startMs + warmupMs + measureMs);
        long c1 = done.sum();
        long t1 = System.nanoTime();
        long e1 = errors.sum();
        long f1 = fallback.sum();
        phase.set(Phase.DONE);
        for (Thread thread : workers) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        LatencyHistogram all = new LatencyHistogram();
        histograms.forEach(all::add);
        if (firstError.get() != null) {
            System.err.println("first error of " + errors.sum() + ":");
            firstError.get().printStackTrace();
        }
        System.out.println("RESULT " + name + " permits=" + (c1 - c0) + " nanos=" + (t1 - t0) + " errors=" + (e1 - e0)
                + " fallback=" + (f1 - f0));
        System.out.println("HISTOGRAM " + name + " " + all.encode());
        System.out.flush();
        try {
            resources.close();
        } finally {
            control.close();
        }
        System.exit(0);
    }

    /** {@code acquire}, {@code ping} and {@code evalsha} as before, or any {@link Competitor} by name. */
    static Competitor competitor(String workload) {
        switch (workload) {
            case "acquire":
                return Competitor.RateQueue_Redis;
            case "ping":
                return Competitor.Lettuce_Ping;
            case "evalsha":
                return Competitor.Lettuce_EvalSha;
            default:
                for (Competitor c : Competitor.values()) {
                    if (c.name().equalsIgnoreCase(workload)) {
                        return c;
                    }
                }
                throw new IllegalArgumentException("workload must be acquire, ping, evalsha or a competitor of "
                        + Arrays.toString(Competitor.values()) + ", was " + workload);
        }
    }

    @FunctionalInterface
    private interface Operation {
        void run() throws Exception;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            o.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return o;
    }

    static void sleepUntil(long epochMillis) throws InterruptedException {
        for (long left; (left = epochMillis - System.currentTimeMillis()) > 0; ) {
            Thread.sleep(left);
        }
    }
}
