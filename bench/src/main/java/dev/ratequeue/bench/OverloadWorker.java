package dev.ratequeue.bench;

import io.lettuce.core.KeyValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One worker JVM of {@link OverloadRun}: {@code threads} threads hammer one key of one contender from a common start
 * time for {@code durationMs}, either blocking in {@code acquire()} or looping on {@code tryAcquire()} without a
 * pause, and the JVM prints when each permit was granted.
 *
 * <p>Arguments are {@code key=value}: {@code redis}, {@code name}, {@code contender} (a {@link Contenders} label),
 * {@code key}, {@code limit} ({@code 100/1s}), {@code burst}, {@code mode} ({@code acquire} or {@code try}),
 * {@code threads}, {@code durationMs}.
 *
 * <p>Protocol on standard output: {@code READY <name>} once connected; then it waits on Redis list {@code
 * bench:go:<name>} for the start time (epoch milliseconds, the same for every worker). At the end:
 * <ul>
 *   <li>{@code GRANTS <name> <ms>:<count> ...}: permits granted per millisecond since the start, by the wall clock
 *       every process of this machine shares, so the harness can add the workers up;</li>
 *   <li>{@code TRIES <name> <n>,<n>,...}: calls started per second (tries, or acquires);</li>
 *   <li>{@code RESULT <name> grants=… calls=… errors=… fallback=…};</li>
 *   <li>{@code REFUSED <name> …} and {@code GRANTED <name> …}: {@link LatencyHistogram}s of refused and granted
 *       calls (in {@code acquire} mode every call is granted and its latency is its wait).</li>
 * </ul>
 */
public final class OverloadWorker {

    /** How long threads still blocked in acquire() at the end are given before the results are printed anyway. */
    private static final Duration STRAGGLERS = Duration.ofSeconds(3);

    private OverloadWorker() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = FleetWorker.parse(args);
        String uri = o.get("redis");
        String name = o.get("name");
        Contenders kind = Contenders.byLabel("contender", o.get("contender"));
        LimitSpec limit = LimitSpec.parse("limit", o.get("limit")).withBurst(Long.parseLong(o.get("burst")));
        boolean tryMode = switch (o.get("mode")) {
            case "try" -> true;
            case "acquire" -> false;
            default -> throw new IllegalArgumentException("mode must be acquire or try, was " + o.get("mode"));
        };
        int threads = Integer.parseInt(o.get("threads"));
        int durationMs = Integer.parseInt(o.get("durationMs"));

        warmUp(kind, uri, o.get("key") + "-warmup-" + name, limit);
        Competitor.Lettuce control = new Competitor.Lettuce(uri);
        Contender contender = kind.open(uri, o.get("key"), limit);

        AtomicIntegerArray grantsPerMs = new AtomicIntegerArray(durationMs);
        // The same grants by the limiter's own clock, where it says (see Contender#lastGrantedAtEpochMicros).
        AtomicIntegerArray decidedPerMs = new AtomicIntegerArray(durationMs);
        AtomicLongArray callsPerSecond = new AtomicLongArray((durationMs + 999) / 1000);
        LongAdder errors = new LongAdder();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        List<LatencyHistogram> refused = new ArrayList<>();
        List<LatencyHistogram> granted = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2]; // start and end, epoch nanoseconds, set before go opens
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            LatencyHistogram refusedHere = new LatencyHistogram();
            LatencyHistogram grantedHere = new LatencyHistogram();
            refused.add(refusedHere);
            granted.add(grantedHere);
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long start = window[0];
                long end = window[1];
                for (long now; (now = epochNanos()) < end; ) {
                    long started = System.nanoTime();
                    boolean ok;
                    try {
                        if (tryMode) {
                            ok = contender.tryAcquire();
                        } else {
                            contender.acquire();
                            ok = true;
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        errors.increment();
                        firstError.compareAndSet(null, e);
                        continue;
                    }
                    long nanos = System.nanoTime() - started;
                    callsPerSecond.incrementAndGet((int) ((now - start) / 1_000_000_000L));
                    (ok ? grantedHere : refusedHere).record(nanos);
                    if (ok) {
                        long ms = (epochNanos() - start) / 1_000_000L;
                        // A permit granted after the window (an acquire that was still waiting) is not counted.
                        if (ms < durationMs) {
                            grantsPerMs.incrementAndGet((int) Math.max(0, ms));
                        }
                        long decidedAt = contender.lastGrantedAtEpochMicros();
                        long decidedMs = (decidedAt * 1_000L - start) / 1_000_000L;
                        if (decidedAt >= 0 && decidedMs < durationMs) {
                            decidedPerMs.incrementAndGet((int) Math.max(0, decidedMs));
                        }
                    }
                }
            }, name + "-t" + t);
            thread.setDaemon(true);
            thread.start();
            workers.add(thread);
        }
        System.out.println("READY " + name);

        KeyValue<String, String> signal = control.sync.blpop(120, FleetWorker.GO_KEY_PREFIX + name);
        if (signal == null || !signal.hasValue()) {
            System.err.println("no start signal within 120 s");
            System.exit(2);
        }
        long startMs = Long.parseLong(signal.getValue());
        window[0] = startMs * 1_000_000L;
        window[1] = (startMs + durationMs) * 1_000_000L;
        FleetWorker.sleepUntil(startMs);
        go.countDown();
        FleetWorker.sleepUntil(startMs + durationMs);
        long joinBy = System.nanoTime() + STRAGGLERS.toNanos();
        int stuck = 0;
        for (Thread thread : workers) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinBy - System.nanoTime())));
            stuck += thread.isAlive() ? 1 : 0;
        }
        if (stuck > 0) {
            System.err.println(stuck + " threads still waiting " + STRAGGLERS.toSeconds() + " s after the end");
        }
        if (firstError.get() != null) {
            System.err.println("first error of " + errors.sum() + ":");
            firstError.get().printStackTrace();
        }
        print(name, grantsPerMs, decidedPerMs, callsPerSecond, errors.sum(), contender.fallbackGrants(), refused, granted);
        try {
            contender.close();
        } finally {
            control.close();
        }
        System.exit(0);
    }

    /**
     * Connects, loads scripts and classes on a key of its own, so the measured key starts untouched (a token bucket
     * full, a GCRA with no history) and the first second measures the limiter rather than a cold JVM. A blocking
     * acquire, because a try may give up before a cold connection is made, and closing then races with it.
     */
    private static void warmUp(Contenders kind, String uri, String key, LimitSpec limit) throws Exception {
        try (Contender warm = kind.open(uri, key, limit)) {
            warm.acquire();
        }
    }

    private static void print(String name, AtomicIntegerArray grantsPerMs, AtomicIntegerArray decidedPerMs,
            AtomicLongArray callsPerSecond, long errors, long fallback, List<LatencyHistogram> refused,
            List<LatencyHistogram> granted) {
        StringBuilder grants = new StringBuilder("GRANTS ").append(name);
        long total = perMs(grants, grantsPerMs);
        StringBuilder decided = new StringBuilder("DECIDED ").append(name);
        perMs(decided, decidedPerMs);
        StringBuilder calls = new StringBuilder("TRIES ").append(name).append(' ');
        long callsTotal = 0;
        for (int s = 0; s < callsPerSecond.length(); s++) {
            calls.append(s == 0 ? "" : ",").append(callsPerSecond.get(s));
            callsTotal += callsPerSecond.get(s);
        }
        System.out.println(grants);
        System.out.println(decided);
        System.out.println(calls);
        System.out.println("RESULT " + name + " grants=" + total + " calls=" + callsTotal + " errors=" + errors
                + " fallback=" + fallback);
        System.out.println("REFUSED " + name + " " + merge(refused).encode());
        System.out.println("GRANTED " + name + " " + merge(granted).encode());
        System.out.flush();
    }

    /** Appends {@code ms:count} for every millisecond that has any and returns the total. */
    private static long perMs(StringBuilder line, AtomicIntegerArray perMs) {
        long total = 0;
        for (int ms = 0; ms < perMs.length(); ms++) {
            int n = perMs.get(ms);
            if (n != 0) {
                line.append(' ').append(ms).append(':').append(n);
                total += n;
            }
        }
        return total;
    }

    private static LatencyHistogram merge(List<LatencyHistogram> histograms) {
        LatencyHistogram all = new LatencyHistogram();
        histograms.forEach(all::add);
        return all;
    }

    /** The wall clock in nanoseconds: the one clock all processes of this machine read alike. */
    static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
