package dev.ratequeue.bench;

import io.lettuce.core.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One worker JVM of {@link PriorityRun}, in one of two roles on one {@link Contenders contender}:
 * <ul>
 *   <li>{@code backlog}: {@code calls} threads each make blocking {@code acquire(priority)} calls back to back from
 *       the start time on, so {@code calls} calls of this JVM are always queued: each one granted is replaced at
 *       once, and the backlog never drains while anything is measured;</li>
 *   <li>{@code probe}: {@code calls} calls, one thread each, the k-th arriving at {@code start + offsetMs + k ×
 *       everyMs}.</li>
 * </ul>
 * A call is measured when it arrives inside the window {@code [start + offsetMs, start + offsetMs + windowMs)}
 * (every probe call does), its wait timed from its arrival to its grant; grants inside the window are counted
 * whichever call they went to.
 *
 * <p>Arguments are {@code key=value}: {@code redis}, {@code name}, {@code role}, {@code contender} (a label of
 * {@link Contenders}), {@code key}, {@code limit} ({@code 20/1s}), {@code priority}, {@code calls}, {@code everyMs}
 * (probe only), {@code offsetMs}, {@code windowMs}.
 *
 * <p>Protocol on standard output: {@code READY <name>} once connected, every thread parked; then it waits on Redis
 * list {@code bench:priority:go:<name>} for the start time (epoch milliseconds, one clock for every worker);
 * {@code MEASURED <name>} once the window has ended and every measured call was granted; it goes on (a backlog
 * keeps its calls queued) until an element arrives on {@code bench:priority:stop:<name>}, then prints
 * {@code RESULT <name> measured=… unfinished=… grants=… errors=… fallback=…} and {@code HISTOGRAM <name> …}
 * (waits of the measured calls; a call still waiting at the stop counts with its wait so far, and as
 * {@code unfinished}) and exits.
 */
public final class PriorityWorker {

    static final String GO_KEY_PREFIX = "bench:priority:go:";
    static final String STOP_KEY_PREFIX = "bench:priority:stop:";

    /** How long after the window a call that arrived just before its end gets to be counted as in flight. */
    private static final long SETTLE_MS = 100;
    private static final long STOP_TIMEOUT_SECONDS = 600;

    private PriorityWorker() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = FleetWorker.parse(args);
        String name = o.get("name");
        String role = o.get("role");
        if (!role.equals("backlog") && !role.equals("probe")) {
            throw new IllegalArgumentException("role must be backlog or probe, was " + role);
        }
        int calls = Integer.parseInt(o.get("calls"));
        int priority = Integer.parseInt(o.get("priority"));
        long offsetMs = Long.parseLong(o.get("offsetMs"));
        long windowMs = Long.parseLong(o.get("windowMs"));
        long everyMs = role.equals("probe") ? Long.parseLong(o.get("everyMs")) : 0;

        Competitor.Lettuce control = new Competitor.Lettuce(o.get("redis"));
        Contender contender = Contenders.byLabel("contender", o.get("contender"))
                .open(o.get("redis"), o.get("key"), LimitSpec.parse("limit", o.get("limit")));
        contender.tryAcquire(); // connects, seeds the limit, loads scripts: none of that belongs in a wait

        Calls record = new Calls(contender, priority, calls);
        AtomicReference<long[]> window = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            int slot = i;
            threads.add(new Thread(() -> {
                long[] w = awaitWindow(window);
                if (w == null) {
                    return;
                }
                try {
                    if (role.equals("probe")) {
                        FleetWorker.sleepUntil(w[2] + offsetMs + slot * everyMs);
                        record.call(slot, true, w);
                    } else {
                        FleetWorker.sleepUntil(w[2]);
                        while (!record.stopped()) {
                            long arrival = System.nanoTime();
                            record.call(slot, arrival >= w[0] && arrival < w[1], w);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name + "-c" + i));
        }
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
        System.out.println("READY " + name);

        KeyValue<String, String> go = control.sync.blpop(120, GO_KEY_PREFIX + name);
        if (go == null || !go.hasValue()) {
            System.err.println("no start signal within 120 s");
            System.exit(2);
        }
        long startMs = Long.parseLong(go.getValue());
        // The window in this JVM's nanoTime, from the one wall clock every worker shares.
        long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startMs - System.currentTimeMillis());
        long from = startNanos + TimeUnit.MILLISECONDS.toNanos(offsetMs);
        long[] w = {from, from + TimeUnit.MILLISECONDS.toNanos(windowMs), startMs};
        synchronized (window) {
            window.set(w);
            window.notifyAll();
        }

        Thread watcher = new Thread(() -> {
            try {
                FleetWorker.sleepUntil(startMs + offsetMs + windowMs + SETTLE_MS);
                while (record.outstanding() > 0) {
                    Thread.sleep(20);
                }
                System.out.println("MEASURED " + name);
                System.out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-watcher");
        watcher.setDaemon(true);
        watcher.start();

        KeyValue<String, String> stop = control.sync.blpop(STOP_TIMEOUT_SECONDS, STOP_KEY_PREFIX + name);
        if (stop == null) {
            System.err.println("no stop signal within " + STOP_TIMEOUT_SECONDS + " s");
        }
        LatencyHistogram waits = record.stop();
        record.printFirstError();
        System.out.println("RESULT " + name + " measured=" + waits.count() + " unfinished=" + record.unfinished
                + " grants=" + record.grants.sum() + " errors=" + record.errors.sum() + " fallback="
                + contender.fallbackGrants());
        System.out.println("HISTOGRAM " + name + " " + waits.encode());
        System.out.flush();
        // Closing with calls still queued may wait on them; nothing after the report is measured.
        Thread closer = new Thread(() -> {
            contender.close();
            control.close();
        }, name + "-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(TimeUnit.SECONDS.toMillis(3));
        System.exit(stop == null ? 3 : 0);
    }

    private static long[] awaitWindow(AtomicReference<long[]> window) {
        synchronized (window) {
            while (window.get() == null) {
                try {
                    window.wait();
                } catch (InterruptedException e) {
                    return null;
                }
            }
            return window.get();
        }
    }

    /**
     * The calls of this JVM: each slot (thread) has its own histogram and its own arrival time of a measured call
     * in flight, guarded by one lock, so the stop sees every call either granted or still waiting, never both.
     */
    private static final class Calls {
        private final Contender contender;
        private final int priority;
        private final LatencyHistogram[] histograms;
        /** Arrival (nanoTime) of the measured call in flight on each slot, 0 when none. */
        private final long[] inFlightSince;
        private final LongAdder grants = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private final AtomicReference<Throwable> firstError = new AtomicReference<>();
        private volatile boolean stopped;
        private long unfinished;

        Calls(Contender contender, int priority, int slots) {
            this.contender = contender;
            this.priority = priority;
            this.histograms = new LatencyHistogram[slots];
            this.inFlightSince = new long[slots];
            for (int i = 0; i < slots; i++) {
                histograms[i] = new LatencyHistogram();
            }
        }

        boolean stopped() {
            return stopped;
        }

        void call(int slot, boolean measured, long[] window) throws InterruptedException {
            long arrival = System.nanoTime();
            if (measured) {
                synchronized (this) {
                    if (stopped) {
                        return;
                    }
                    inFlightSince[slot] = arrival;
                }
            }
            boolean granted;
            try {
                contender.acquire(priority);
                granted = true;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                errors.increment();
                firstError.compareAndSet(null, e);
                granted = false;
            }
            long now = System.nanoTime();
            synchronized (this) {
                if (stopped) {
                    return;
                }
                if (measured) {
                    inFlightSince[slot] = 0;
                    if (granted) {
                        histograms[slot].record(now - arrival);
                    }
                }
                if (granted && now >= window[0] && now < window[1]) {
                    grants.increment();
                }
            }
            if (!granted) {
                Thread.sleep(10); // a failing contender must not spin
            }
        }

        synchronized long outstanding() {
            long n = 0;
            for (long since : inFlightSince) {
                n += since != 0 ? 1 : 0;
            }
            return n;
        }

        /** Ends the measurement: the waits of every measured call, those still waiting with their wait so far. */
        synchronized LatencyHistogram stop() {
            stopped = true;
            long now = System.nanoTime();
            LatencyHistogram all = new LatencyHistogram();
            for (int i = 0; i < histograms.length; i++) {
                all.add(histograms[i]);
                if (inFlightSince[i] != 0) {
                    all.record(now - inFlightSince[i]);
                    unfinished++;
                }
            }
            return all;
        }

        void printFirstError() {
            if (firstError.get() != null) {
                System.err.println("first error of " + errors.sum() + ":");
                firstError.get().printStackTrace();
            }
        }
    }
}
