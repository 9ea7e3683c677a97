package dev.ratequeue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One run of a redis-server binary (data node or Sentinel): launch it with its output appended to a log file,
 * wait until it answers, and end it.
 */
final class RedisProcess {

    /** Decides from the log written since launch, and by asking the server, whether it is ready. */
    interface ReadinessProbe {
        boolean isReady(String logSinceLaunch) throws IOException;
    }

    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int LOG_TAIL_LINES = 30;

    private final Process process;
    private final List<String> command;
    private final Path logFile;
    private final long logOffset;
    private IOException lastProbeFailure;

    private RedisProcess(Process process, List<String> command, Path logFile, long logOffset) {
        this.process = process;
        this.command = command;
        this.logFile = logFile;
        this.logOffset = logOffset;
    }

    /**
     * Returns only once {@code probe} says the server is ready.
     *
     * @throws PortInUseException if the server exited because its port was taken
     * @throws IllegalStateException if it exited for another reason or did not become ready in time; the
     *     message carries the tail of the log
     */
    static RedisProcess launch(List<String> command, Path workDir, Path logFile, ReadinessProbe probe) {
        long offset = sizeOf(logFile);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
        Reaper.track(process);
        RedisProcess launched = new RedisProcess(process, List.copyOf(command), logFile, offset);
        try {
            launched.awaitReady(probe);
            return launched;
        } catch (RuntimeException e) {
            launched.kill();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, and SIGKILL if the server has not exited after a grace period. */
    void stop() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitForExit(STOP_GRACE)) {
                process.destroyForcibly();
                waitForExit(STOP_GRACE);
            }
        }
        Reaper.untrack(process);
    }

    /** SIGKILL, as a crash would; returns once the process is gone so its port is closed. */
    void kill() {
        process.destroyForcibly();
        waitForExit(STOP_GRACE);
        Reaper.untrack(process);
    }

    private void awaitReady(ReadinessProbe probe) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw exitedDuringStartup();
            }
            if (probeQuietly(probe)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("redis-server (pid " + process.pid() + ") did not become ready within "
                        + STARTUP_TIMEOUT.toSeconds() + " s. Command: " + command + describeLog()
                        + (lastProbeFailure == null ? "" : "\nLast readiness probe failed with: " + lastProbeFailure),
                        lastProbeFailure);
            }
            sleep(Duration.ofMillis(20));
        }
    }

    private boolean probeQuietly(ReadinessProbe probe) {
        try {
            return probe.isReady(logSinceLaunch());
        } catch (IOException e) {
            // Not listening yet, or it closed the connection while starting: ask again shortly. Kept for the
            // timeout message, since a TLS handshake that keeps failing would otherwise look like a silent hang.
            lastProbeFailure = e;
            return false;
        }
    }

    private IllegalStateException exitedDuringStartup() {
        String log = logSinceLaunch();
        String message = "redis-server exited with code " + process.exitValue() + " during startup. Command: "
                + command + describeLog();
        if (log.contains("Address already in use")) {
            return new PortInUseException(message);
        }
        if (command.contains("--tls-port")) {
            Optional<String> why = tlsNotBuiltIn(log);
            if (why.isPresent()) {
                return new TlsUnavailableException(command.get(0) + " cannot serve TLS (" + why.get()
                        + "): it was built without TLS support. Install a redis-server built with TLS "
                        + "(BUILD_TLS=yes, as Debian's and the bundled one are). " + message);
            }
        }
        return new IllegalStateException(message);
    }

    /**
     * The line of a startup log that says the binary has no TLS. Redis up to 7.0 built without TLS does not know
     * the {@code tls-*} settings at all ({@code Bad directive or wrong number of arguments} after the quoted
     * {@code tls-port} line); later versions know them but say that TLS is not available or built as a module that
     * was not loaded.
     */
    static Optional<String> tlsNotBuiltIn(String log) {
        List<String> lines = Arrays.asList(log.split("\\R"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).toLowerCase(Locale.ROOT);
            boolean aboutTls = line.contains("tls");
            if (aboutTls && line.contains(">>>") && i + 1 < lines.size()
                    && lines.get(i + 1).contains("Bad directive")) {
                return Optional.of(lines.get(i).trim() + ": " + lines.get(i + 1).trim());
            }
            if (aboutTls && (line.contains("not supported") || line.contains("unsupported")
                    || line.contains("missing implement") || line.contains("not built")
                    || line.contains("not available") || line.contains("not loaded"))) {
                return Optional.of(lines.get(i).trim());
            }
        }
        return Optional.empty();
    }

    private String logSinceLaunch() {
        try {
            byte[] bytes = Files.readAllBytes(logFile);
            int from = (int) Math.min(logOffset, bytes.length);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private String describeLog() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return "\nLast lines of " + logFile + ":\n  " + String.join("\n  ", tail);
        } catch (IOException e) {
            return "\n(log " + logFile + " unreadable: " + e + ")";
        }
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", e);
        }
    }

    @Override
    public String toString() {
        return "redis-server pid " + process.pid() + " " + command;
    }
}
