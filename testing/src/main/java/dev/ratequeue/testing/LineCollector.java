package dev.ratequeue.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads one output stream of a child process line by line on a daemon thread, keeps every line, and lets
 * callers wait for a line they expect.
 *
 * <p>Draining the stream continuously also matters on its own: a child whose pipe buffer fills up blocks.
 */
final class LineCollector {

    private final List<String> lines = new ArrayList<>();
    private final Thread pump;
    private boolean ended;

    LineCollector(InputStream stream, String threadName, Consumer<String> echo) {
        this.pump = new Thread(() -> pump(stream, echo), threadName);
        pump.setDaemon(true);
        pump.start();
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized List<String> tail(int count) {
        return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    /**
     * The first line so far or within {@code timeout} that matches; empty if none came in time or the stream
     * ended without one.
     */
    synchronized Optional<String> await(Predicate<String> matcher, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                if (matcher.test(lines.get(checked))) {
                    return Optional.of(lines.get(checked));
                }
            }
            long remainingNanos = deadline - System.nanoTime();
            if (ended || remainingNanos <= 0) {
                return Optional.empty();
            }
            long millis = Math.max(1, remainingNanos / 1_000_000);
            wait(millis);
        }
    }

    synchronized boolean ended() {
        return ended;
    }

    /** Lets the last lines a process wrote arrive before anyone looks at them. */
    void awaitEnd(Duration timeout) throws InterruptedException {
        pump.join(Math.max(1, timeout.toMillis()));
    }

    private void pump(InputStream stream, Consumer<String> echo) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, Charset.defaultCharset()))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
                echo.accept(line);
            }
        } catch (IOException ignored) {
            // The process is gone and took the pipe with it: what was read is all there is.
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }
}
