package dev.ratequeue.it.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar ratequeue-agent.jar <command>…} run as an operator runs it: a process of its own, its output
 * and exit code collected. The environment is this one's without {@code RATEQUEUE_*} variables, plus those given.
 */
final class AgentCli {
  /** Generous: a cold JVM on a busy two-core machine, Lettuce's first connection included. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  static final class Result {
    final int exitCode;
    final String out;
    final String err;
    final Duration took;

    Result(int exitCode, String out, String err, Duration took) {
      this.exitCode = exitCode;
      this.out = out;
      this.err = err;
      this.took = took;
    }

    List<String> errLines() {
      List<String> lines = new ArrayList<>();
      for (String l : err.split("\n")) {
        if (!l.isBlank()) {
          lines.add(l);
        }
      }
      return lines;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + " after " + took.toMillis() + " ms\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private AgentCli() {}

  static Result run(String... args) {
    return run(Map.of(), args);
  }

  static Result run(Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(AgentWorkers.agentJar().toString());
    command.addAll(Arrays.asList(args));
    try {
      Path out = Files.createTempFile("ratequeue-cli-", ".out");
      Path err = Files.createTempFile("ratequeue-cli-", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("RATEQUEUE_"));
        pb.environment().putAll(environment);
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError("ratequeue-agent.jar " + String.join(" ", args) + " did not end within " + TIMEOUT);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8), took);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
