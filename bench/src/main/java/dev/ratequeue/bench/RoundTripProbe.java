package dev.ratequeue.bench;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The physical limit next to a scenario, under the scenario's own load: one thread that alternates a Lettuce sync
 * {@code PING} and an {@code EVALSHA} of {@code return 1} on a connection of its own, back to back, during the same
 * window, so a limiter's latency can be read as a number of round trips taken on the same machine at the same time.
 */
final class RoundTripProbe implements AutoCloseable {

    private final Competitor.Lettuce lettuce;
    private final String sha;
    private final LatencyHistogram ping = new LatencyHistogram();
    private final LatencyHistogram evalsha = new LatencyHistogram();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread thread;

    RoundTripProbe(String redisUri) {
        lettuce = new Competitor.Lettuce(redisUri);
        sha = lettuce.sync.scriptLoad("return 1");
        lettuce.sync.ping();
    }

    /** Runs from {@code startMs} to {@code endMs} (epoch milliseconds) on a thread of its own. */
    void start(long startMs, long endMs) {
        RedisCommands<String, String> redis = lettuce.sync;
        String[] noKeys = new String[0];
        thread = new Thread(() -> {
            try {
                FleetWorker.sleepUntil(startMs);
                while (System.currentTimeMillis() < endMs) {
                    long t0 = System.nanoTime();
                    redis.ping();
                    long t1 = System.nanoTime();
                    redis.<Long>evalsha(sha, ScriptOutputType.INTEGER, noKeys);
                    long t2 = System.nanoTime();
                    ping.record(t1 - t0);
                    evalsha.record(t2 - t1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "round-trip-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for the window to end; the histograms are complete after this. */
    void await() throws InterruptedException {
        thread.join();
        if (failure.get() != null) {
            throw new IllegalStateException("the round-trip probe failed", failure.get());
        }
    }

    LatencyHistogram ping() {
        return ping;
    }

    LatencyHistogram evalsha() {
        return evalsha;
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
        lettuce.close();
    }
}
