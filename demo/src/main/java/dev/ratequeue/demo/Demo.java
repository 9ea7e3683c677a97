package dev.ratequeue.demo;

import dev.ratequeue.testing.RedisServer;
import dev.ratequeue.testing.WorkerJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The README's demonstration, in one command and without a Redis installed:
 *
 * <pre>mvn -q install -DskipTests &amp;&amp; mvn -q -pl demo exec:java</pre>
 *
 * ({@code java -cp <class path> dev.ratequeue.demo.Demo} works too.)
 *
 * It starts its own Redis and 4 worker JVMs ({@link DemoWorker}) whose threads all call one API with a quota of
 * 20 calls per second. Part 1: the workers share that limit through Redis, so together they make 20 calls/s.
 * Part 2, for contrast: each worker has its own in-JVM limiter of 20/s, as with Guava's or Resilience4j's
 * rate limiters, so together they make 4 × 20 = 80 calls/s and the API would answer with 429s. It prints a
 * line per second while each part runs and a summary at the end, then stops everything it started.
 */
public final class Demo {
  private static final int WORKERS = 4;
  private static final int THREADS = 4;
  private static final int LIMIT = 20; // calls per second, the API's quota
  private static final int SECONDS = 10;
  private static final String RESOURCE = "partner-api";
  /** Lines for a second are printed this long after it ended: workers print their calls every 100 ms. */
  private static final long REPORT_DELAY_MILLIS = 300;

  /** What the workers run with: this demo's own class path, however it was started. */
  private static final String CLASSPATH = classpath();

  private Demo() {}

  /**
   * {@code java -cp ...} (and {@code mvn exec:exec}) put the demo's class path in {@code java.class.path};
   * {@code mvn exec:java} runs it inside Maven's JVM, where that property names Maven's launcher and the demo's
   * classes come from a class loader of the plugin's: then its URLs are the class path.
   */
  private static String classpath() {
    ClassLoader loader = Demo.class.getClassLoader();
    if (loader instanceof URLClassLoader && loader != ClassLoader.getSystemClassLoader()) {
      List<String> entries = new ArrayList<>();
      for (URL url : ((URLClassLoader) loader).getURLs()) {
        try {
          entries.add(Paths.get(url.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
          // not a file: nothing a child JVM could load from
        }
      }
      if (!entries.isEmpty()) {
        return String.join(File.pathSeparator, entries);
      }
    }
    return System.getProperty("java.class.path");
  }

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    long began = System.nanoTime();
    say("RateQueue demo: %d worker JVMs, %d threads each, call one API whose quota is %d calls per second.",
        WORKERS, THREADS, LIMIT);
    say("Each thread calls again as soon as its limiter lets it, so the limiter alone sets the pace.");
    say("");

    Path dir = Files.createTempDirectory("ratequeue-demo-");
    List<WorkerJvm> all = new ArrayList<>();
    RedisServer redis = null;
    try {
      System.out.print("Starting Redis ... ");
      System.out.flush();
      redis = RedisServer.start();
      say("redis-server %s on %s:%d (started by this demo, stopped at the end)", redis.version(), redis.host(),
          redis.port());

      String namespace = "demo-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
      Path sharedStart = dir.resolve("start-shared");
      Path ownStart = dir.resolve("start-own");
      List<WorkerJvm> shared = new ArrayList<>();
      List<WorkerJvm> own = new ArrayList<>();
      System.out.print("Starting " + 2 * WORKERS + " worker JVMs (" + WORKERS + " for each part) ... ");
      System.out.flush();
      long t0 = System.nanoTime();
      for (int i = 1; i <= WORKERS; i++) {
        shared.add(worker("shared-" + i, redis.uri(), namespace, sharedStart));
        own.add(worker("own-" + i, "local", namespace, ownStart));
      }
      all.addAll(shared);
      all.addAll(own);
      for (WorkerJvm w : all) {
        w.awaitLine("READY"::equals, Duration.ofSeconds(120));
      }
      say("ready in %.1f s", (System.nanoTime() - t0) / 1e9);
      say("");

      say("Part 1 - one limit of %d/s shared through Redis (ratequeue.coordinator = %s)", LIMIT, redis.uri());
      long[] sharedCalls = runPart(shared, sharedStart);
      say("");
      say("Part 2 - for contrast, the usual way: each worker has its own in-JVM limiter of %d/s"
          + " (ratequeue.coordinator = local)", LIMIT);
      long[] ownCalls = runPart(own, ownStart);
      say("");

      summary(sharedCalls, ownCalls);
      say("");
      say("Demo finished in %.0f s.", (System.nanoTime() - began) / 1e9);
    } finally {
      for (WorkerJvm w : all) {
        w.close();
      }
      if (redis != null) {
        redis.stop();
      }
      deleteQuietly(dir);
    }
  }

  private static WorkerJvm worker(String name, String coordinator, String namespace, Path startFile) {
    return WorkerJvm.builder().name(name).mainClass(DemoWorker.class).classpath(CLASSPATH)
        .jvmArg("-Xmx64m", "-XX:TieredStopAtLevel=1")
        .arg(coordinator, namespace, RESOURCE, Integer.toString(LIMIT), Integer.toString(THREADS),
            startFile.toString(), Long.toString(SECONDS * 1000L))
        .start();
  }

  /** Starts the workers together, prints calls per second as they go, and returns each worker's total. */
  private static long[] runPart(List<WorkerJvm> workers, Path startFile) throws InterruptedException {
    long start = System.currentTimeMillis() + 500;
    writeAtomically(startFile, Long.toString(start));

    StringBuilder header = new StringBuilder("  second");
    for (WorkerJvm w : workers) {
      header.append(String.format("  %9s", w.name()));
    }
    say("%s  |  total  (quota %d/s)", header, LIMIT);
    for (int second = 0; second < SECONDS; second++) {
      long reportAt = start + (second + 1) * 1000L + REPORT_DELAY_MILLIS;
      Thread.sleep(Math.max(0, reportAt - System.currentTimeMillis()));
      long from = start + second * 1000L;
      StringBuilder line = new StringBuilder(String.format("  %6d", second + 1));
      long total = 0;
      for (WorkerJvm w : workers) {
        long n = calls(w, from, from + 1000);
        total += n;
        line.append(String.format("  %9d", n));
      }
      say("%s  |  %5d  %s", line, total, verdict(total));
    }
    long[] totals = new long[workers.size()];
    for (int i = 0; i < workers.size(); i++) {
      WorkerJvm w = workers.get(i);
      w.awaitLine("DONE"::equals, Duration.ofSeconds(30));
      totals[i] = calls(w, start, start + SECONDS * 1000L);
      w.close();
    }
    return totals;
  }

  private static String verdict(long callsInOneSecond) {
    if (callsInOneSecond <= LIMIT) {
      return "within the quota";
    }
    return String.format("%.1fx the quota: the API answers 429", (double) callsInOneSecond / LIMIT);
  }

  private static void summary(long[] shared, long[] own) {
    say("Summary: calls made in %d s against a quota of %d/s (= %d calls)", SECONDS, LIMIT, LIMIT * SECONDS);
    StringBuilder header = new StringBuilder(String.format("  %-26s", ""));
    for (int i = 1; i <= WORKERS; i++) {
      header.append(String.format("  %8s", "worker " + i));
    }
    say("%s  %7s  %8s  %s", header, "total", "calls/s", "vs quota");
    row("shared limit through Redis", shared);
    row("own limiter in each JVM", own);
    say("");
    say("With RateQueue the %d workers together stay at the quota however many there are; each gets a fair"
        + " share.", WORKERS);
    say("With a limiter per JVM each worker believes it owns the quota: %d workers send %d times too much.",
        WORKERS, WORKERS);
  }

  private static void row(String label, long[] calls) {
    StringBuilder line = new StringBuilder(String.format("  %-26s", label));
    long total = 0;
    for (long n : calls) {
      total += n;
      line.append(String.format("  %8d", n));
    }
    double rate = (double) total / SECONDS;
    say("%s  %7d  %8.1f  %.2fx", line, total, rate, rate / LIMIT);
  }

  /** Calls the worker reported as granted in {@code [fromMillis, toMillis)}. */
  private static long calls(WorkerJvm w, long fromMillis, long toMillis) {
    long n = 0;
    for (String line : w.outputLines()) {
      if (line.startsWith("CALL ")) {
        long t = Long.parseLong(line.substring(5));
        if (t >= fromMillis && t < toMillis) {
          n++;
        }
      }
    }
    return n;
  }

  private static void writeAtomically(Path file, String content) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      files.forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory
    }
    dir.toFile().delete();
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
  }
}
