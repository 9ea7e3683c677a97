package dev.ratequeue.it;

import dev.ratequeue.testing.WorkerJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker JVMs of one test: started together, released together by a go file (so JVM start-up is not part
 * of any measurement), and killed by {@link #close()} whatever happened.
 */
final class Fleet implements AutoCloseable {
  /** Several JVMs starting at once on a busy 2-core machine can take a while; this is only an upper bound. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path goFile;
  private final List<WorkerJvm> workers = new ArrayList<>();

  Fleet() {
    try {
      Path dir = Files.createTempDirectory("ratequeue-it-");
      dir.toFile().deleteOnExit();
      goFile = dir.resolve("go");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a worker; with {@code waitForGo} it waits for {@link #go()} after READY before it runs. */
  WorkerJvm start(String name, WorkerArgs args, boolean waitForGo) {
    WorkerArgs a = waitForGo ? args.copy().set("go", goFile) : args;
    WorkerJvm w = WorkerJvm.builder().name(name).mainClass(PermitWorker.class).jvmArg("-Xmx128m")
        .arg(a.toArray()).start();
    workers.add(w);
    return w;
  }

  void awaitReady() {
    for (WorkerJvm w : workers) {
      w.awaitLine(l -> l.startsWith("READY"), START_TIMEOUT);
    }
  }

  void go() {
    try {
      Files.createFile(goFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void awaitDone(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    for (WorkerJvm w : workers) {
      w.awaitLine(l -> l.startsWith("DONE"), Duration.ofNanos(Math.max(1, end - System.nanoTime())));
    }
  }

  List<WorkerJvm> workers() {
    return workers;
  }

  List<Grant> grants() {
    List<Grant> all = new ArrayList<>();
    for (WorkerJvm w : workers) {
      all.addAll(Grant.parse(w.name(), w.outputLines()));
    }
    return all;
  }

  /**
   * Writes every worker's output, each line prefixed with the worker's name, to {@code target/worker-output/<name>.txt}
   * for a look after the run (the tests assert on the parsed lines; this is for a human chasing a failure).
   */
  void saveOutput(String name) {
    List<String> all = new ArrayList<>();
    for (WorkerJvm w : workers) {
      for (String l : w.outputLines()) {
        all.add(w.name() + " " + l);
      }
    }
    try {
      Path dir = Path.of("target", "worker-output");
      Files.createDirectories(dir);
      Files.write(dir.resolve(name + ".txt"), all);
    } catch (IOException e) {
      System.err.println("could not save worker output: " + e);
    }
  }

  /** Every {@code STALL from to} a worker reported: when it did not get to run (see PermitWorker.StallMeter). */
  List<long[]> stalls() {
    List<long[]> all = new ArrayList<>();
    for (WorkerJvm w : workers) {
      for (String l : linesStartingWith(w, "STALL ")) {
        String[] f = l.split(" ");
        all.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return all;
  }

  static List<String> linesStartingWith(WorkerJvm w, String prefix) {
    List<String> out = new ArrayList<>();
    for (String l : w.outputLines()) {
      if (l.startsWith(prefix)) {
        out.add(l);
      }
    }
    return out;
  }

  @Override
  public void close() {
    for (WorkerJvm w : workers) {
      w.close();
    }
    try {
      Files.deleteIfExists(goFile);
      Files.deleteIfExists(goFile.getParent());
    } catch (IOException ignored) {
      // a temporary directory: nothing depends on it any more
    }
  }
}
