package dev.ratequeue.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records when this JVM was not given the CPU: a thread that asks to sleep 1 ms and notes every
 * time it wakes up more than {@code threshold} late. A busy machine can starve any limiter; a test
 * that measures how fully a limit is used forgives the turns lost inside such stalls, and only
 * those, and says so when the machine was too busy to measure at all.
 */
public final class StallMeter implements AutoCloseable {
    private final List<Instant[]> stalls = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public StallMeter(Duration threshold) {
        long thresholdNanos = threshold.toNanos();
        thread = new Thread(() -> {
            long before = System.nanoTime();
            Instant beforeWall = Instant.now();
            while (running) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                Instant nowWall = Instant.now();
                if (now - before > thresholdNanos) {
                    synchronized (stalls) {
                        stalls.add(new Instant[] {beforeWall, nowWall});
                    }
                }
                before = now;
                beforeWall = nowWall;
            }
        }, "stall-meter");
        thread.setDaemon(true);
        thread.start();
    }

    /** How much of [from, to] this JVM spent stalled. */
    public Duration stalledWithin(Instant from, Instant to) {
        Duration total = Duration.ZERO;
        synchronized (stalls) {
            for (Instant[] stall : stalls) {
                Instant start = stall[0].isAfter(from) ? stall[0] : from;
                Instant end = stall[1].isBefore(to) ? stall[1] : to;
                if (end.isAfter(start)) {
                    total = total.plus(Duration.between(start, end));
                }
            }
        }
        return total;
    }

    public List<Instant[]> stalls() {
        synchronized (stalls) {
            return new ArrayList<>(stalls);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
