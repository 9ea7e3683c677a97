package dev.ratequeue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A child JVM running one main class, as a separate worker process would in production.
 *
 * <pre>{@code
 * try (WorkerJvm worker = WorkerJvm.builder().name("worker-1").mainClass(DemoWorker.class)
 *         .systemProperty("redis.uri", redis.uri()).start()) {
 *     worker.awaitLine(line -> line.startsWith("READY"), Duration.ofSeconds(10));
 *     worker.kill9();
 * }
 * }</pre>
 *
 * <p>Standard output is kept for {@link #awaitLine} and {@link #outputLines()}. Standard error is kept too and
 * echoed to this JVM's {@code System.err} with a {@code [name] } prefix, so a failing worker explains itself in
 * the test log. A shutdown hook kills workers still alive when this JVM exits.
 */
public final class WorkerJvm implements AutoCloseable {

    private static final int TAIL_LINES = 20;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final LineCollector stdout;
    private final LineCollector stderr;

    private WorkerJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdout = new LineCollector(process.getInputStream(), name + "-stdout", line -> { });
        this.stderr = new LineCollector(process.getErrorStream(), name + "-stderr",
                line -> System.err.println("[" + name + "] " + line));
    }

    public static Builder builder() {
        return new Builder();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Every line written to standard output so far. */
    public List<String> outputLines() {
        return stdout.lines();
    }

    /** Every line written to standard error so far. */
    public List<String> errorLines() {
        return stderr.lines();
    }

    /**
     * The first line of standard output, from the start, that matches; waits up to {@code timeout} for it.
     *
     * @throws AssertionError if no such line came in time or the worker's output ended without one; the message
     *     names the worker and shows its last lines of output
     */
    public String awaitLine(Predicate<String> matcher, Duration timeout) {
        Optional<String> line;
        try {
            line = stdout.await(matcher, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for a line from worker '" + name + "'", e);
        }
        if (line.isPresent()) {
            return line.get();
        }
        String why = stdout.ended()
                ? "ended its output without printing a matching line"
                : "printed no matching line within " + timeout.toMillis() + " ms";
        throw new AssertionError("Worker '" + name + "' (pid " + pid() + ") " + why + describeOutput(),
                new TimeoutException(why));
    }

    /**
     * Waits for the worker to exit and returns its exit code.
     *
     * @throws AssertionError if it is still running after {@code timeout}; it is killed first
     */
    public int awaitExit(Duration timeout) {
        boolean exited;
        try {
            exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill9();
            throw new AssertionError("Interrupted while waiting for worker '" + name + "' to exit; killed it", e);
        }
        if (!exited) {
            kill9();
            throw new AssertionError("Worker '" + name + "' (pid " + pid() + ") did not exit within "
                    + timeout.toMillis() + " ms; killed it" + describeOutput());
        }
        drainOutput();
        Reaper.untrack(process);
        return process.exitValue();
    }

    /** SIGKILL, as a crash or an OOM killer would; returns once the process has exited. */
    public void kill9() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Worker '" + name + "' (pid " + pid() + ") survived SIGKILL for "
                        + KILL_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        drainOutput();
        Reaper.untrack(process);
    }

    /** Kills the worker if it is still alive. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
        Reaper.untrack(process);
    }

    @Override
    public String toString() {
        return "WorkerJvm[" + name + ", pid " + pid() + "]";
    }

    private void drainOutput() {
        try {
            stdout.awaitEnd(DRAIN_TIMEOUT);
            stderr.awaitEnd(DRAIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String describeOutput() {
        return "\nLast " + TAIL_LINES + " lines of stdout:\n  " + String.join("\n  ", stdout.tail(TAIL_LINES))
                + "\nLast " + TAIL_LINES + " lines of stderr:\n  " + String.join("\n  ", stderr.tail(TAIL_LINES));
    }

    /** What to run; {@link #start()} launches it. */
    public static final class Builder {

        private static final String DEFAULT_MAX_HEAP = "-Xmx256m";
        // Linux refuses a single argument longer than 128 KiB; beyond this the class path goes in an @argfile.
        private static final int LONGEST_INLINE_CLASSPATH = 32 * 1024;

        private String mainClass;
        private String name;
        private Path javaHome;
        private String classpath = System.getProperty("java.class.path");
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();

        private Builder() {
        }

        public Builder mainClass(Class<?> mainClass) {
            return mainClass(mainClass.getName());
        }

        public Builder mainClass(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
            return this;
        }

        /**
         * JVM options such as {@code -Xmx64m} or {@code -javaagent:...}. Unless one sets {@code -Xmx}, the worker
         * gets {@code -Xmx256m}, so several workers fit next to the build on a small machine.
         */
        public Builder jvmArg(String... jvmArgs) {
            this.jvmArgs.addAll(Arrays.asList(jvmArgs));
            return this;
        }

        /** Arguments passed to the main method. */
        public Builder arg(String... args) {
            this.args.addAll(Arrays.asList(args));
            return this;
        }

        public Builder systemProperty(String key, String value) {
            systemProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Runs another Java installation instead of the one running this JVM. */
        public Builder javaHome(Path javaHome) {
            this.javaHome = Objects.requireNonNull(javaHome, "javaHome");
            return this;
        }

        /** Replaces the default, which is this JVM's own class path. */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath, "classpath");
            return this;
        }

        /** Names the worker in log prefixes and failure messages; defaults to the main class's simple name. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public WorkerJvm start() {
            if (mainClass == null) {
                throw new IllegalStateException("mainClass is required");
            }
            String workerName = name != null ? name : mainClass.substring(mainClass.lastIndexOf('.') + 1);
            List<String> command = command();
            try {
                Process process = new ProcessBuilder(command).start();
                Reaper.track(process);
                return new WorkerJvm(workerName, process);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start worker '" + workerName + "': " + command, e);
            }
        }

        private List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable().toString());
            if (jvmArgs.stream().noneMatch(arg -> arg.startsWith("-Xmx") || arg.startsWith("-XX:MaxHeapSize="))) {
                command.add(DEFAULT_MAX_HEAP);
            }
            command.addAll(jvmArgs);
            systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            if (classpath.length() <= LONGEST_INLINE_CLASSPATH) {
                command.add("-cp");
                command.add(classpath);
            } else {
                command.add("@" + classpathArgFile());
            }
            command.add(mainClass);
            command.addAll(args);
            return command;
        }

        /**
         * java.home rather than this process's command line: the current process may have been started by a
         * native launcher that is not {@code java}, while java.home always names the runtime we are running on.
         */
        private Path javaExecutable() {
            String executable = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                    ? "java.exe" : "java";
            Path home = javaHome != null ? javaHome : Paths.get(System.getProperty("java.home"));
            Path java = home.resolve("bin").resolve(executable);
            if (Files.isExecutable(java) || javaHome != null) {
                return java;
            }
            return ProcessHandle.current().info().command().map(Paths::get).orElse(java);
        }

        private Path classpathArgFile() {
            try {
                Path file = Files.createTempFile("ratequeue-worker-classpath-", ".args");
                file.toFile().deleteOnExit();
                String quoted = classpath.replace("\\", "\\\\").replace("\"", "\\\"");
                Files.write(file, List.of("-cp", "\"" + quoted + "\""), StandardCharsets.UTF_8);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write the worker's class path argument file", e);
            }
        }
    }
}
