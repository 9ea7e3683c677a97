package dev.ratequeue.demo;

import dev.ratequeue.testing.RedisServer;
import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import dev.ratequeue.testing.workers.HttpWorker;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The README's demonstration, in one command and with nothing installed but a JDK and Maven:
 *
 * <pre>mvn -q install -DskipTests &amp;&amp; mvn -q -pl demo exec:java</pre>
 *
 * A local API enforces a quota of {@link #QUOTA} calls in any sliding second and answers 429 beyond it. Four
 * worker JVMs call it, each through another client library, together four times faster than the quota allows.
 * Part 1 runs them as they are; part 2 runs the same workers with {@code -javaagent:ratequeue-agent.jar} and a
 * four-line properties file, sharing one limit through Redis. The demo prints what the API saw each second and
 * a summary side by side, then stops everything it started (Redis included).
 */
public final class Demo {
  private static final int QUOTA = 20; // calls in any sliding second
  /** 10% under the quota: a strict API sees calls when they arrive, a few milliseconds after their grant. */
  private static final int LIMIT = 18;
  private static final int SECONDS = 10;
  private static final String RESOURCE = "partner-api";
  private static final List<String[]> WORKERS = Arrays.asList(
      new String[] {"okhttp", "okhttp", "sync"},
      new String[] {"httpclient5", "hc5", "async"},
      new String[] {"jdk-send", "jdk", "sync"},
      new String[] {"jdk-async", "jdk", "async"});

  private Demo() {}

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    long began = System.nanoTime();
    List<String> classpath = classpath();
    String agentJar = classpath.stream().filter(p -> Paths.get(p).getFileName().toString().matches(
        "ratequeue-agent(-[0-9].*)?\\.jar")).findFirst()
        .orElseThrow(() -> new IllegalStateException("the agent jar is not on the demo's class path: run "
            + "'mvn -q install -DskipTests' first"));
    String workerClasspath = classpath.stream().filter(p -> !p.equals(agentJar))
        .collect(Collectors.joining(File.pathSeparator));

    say("RateQueue demo: 4 worker JVMs call one API whose quota is %d calls in any second; beyond it the API", QUOTA);
    say("answers 429. Each worker uses another client library and, with 2 threads pausing 50 ms between calls,");
    say("offers ~40 calls/s: ~160/s together, 8 times the quota.");
    say("");
    Path dir = Files.createTempDirectory("ratequeue-demo-");
    RedisServer redis = null;
    try (StrictUpstream api = StrictUpstream.builder().requests(QUOTA, Duration.ofSeconds(1)).retryAfter("1")
        .start()) {
      System.out.print("Starting Redis ... ");
      System.out.flush();
      redis = RedisServer.start();
      say("redis-server %s on port %d (started by this demo, stopped at the end)", redis.version(), redis.port());
      Path config = writeConfig(dir, redis.uri(), api.hostAndPort());
      say("");

      say("Part 1 - the workers as they are, no agent");
      Result without = runPart(api, workerClasspath, dir, "without", null);
      say("");
      say("Part 2 - the same workers with -javaagent:ratequeue-agent.jar=%s:", config.getFileName());
      for (String line : Files.readAllLines(config)) {
        if (!line.startsWith("#")) {
          say("            %s", line.replace("\\:", ":"));
        }
      }
      Result with = runPart(api, workerClasspath, dir, "with", "-javaagent:" + agentJar + "=" + config);
      say("");

      say("Side by side (API quota %d/s):", QUOTA);
      say("                       calls made   429 answers   accepted/s   max in any second");
      say("  without the agent  %12d  %12d  %11.1f  %18d", without.calls, without.refused, without.acceptedPerSecond,
          without.maxInSecond);
      say("  with the agent     %12d  %12d  %11.1f  %18d", with.calls, with.refused, with.acceptedPerSecond,
          with.maxInSecond);
      say("");
      say("Without the agent, %.0f%% of the calls were refused. With it, %s, and the fleet used %.0f%% of the quota.",
          100.0 * without.refused / Math.max(1, without.calls),
          with.refused == 0 ? "none" : with.refused + " were", 100 * with.acceptedPerSecond / QUOTA);
      say("Demo finished in %.0f s.", (System.nanoTime() - began) / 1e9);
    } finally {
      if (redis != null) {
        redis.stop();
      }
      deleteQuietly(dir);
    }
  }

  private static Path writeConfig(Path dir, String redis, String api) throws IOException {
    Properties p = new Properties();
    p.setProperty("ratequeue.coordinator", redis);
    p.setProperty("ratequeue.resources." + RESOURCE + ".match", api);
    p.setProperty("ratequeue.resources." + RESOURCE + ".requests", LIMIT + "/1s");
    Path file = dir.resolve("ratequeue.properties");
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, null);
    }
    return file;
  }

  private static final class Result {
    long calls;
    long refused;
    double acceptedPerSecond;
    int maxInSecond;
  }

  private static Result runPart(StrictUpstream api, String classpath, Path dir, String part, String agent)
      throws InterruptedException {
    Path go = dir.resolve("go-" + part);
    List<WorkerJvm> workers = new ArrayList<>();
    try {
      System.out.print("  starting the workers ... ");
      System.out.flush();
      long t0 = System.nanoTime();
      for (String[] w : WORKERS) {
        WorkerJvm.Builder b = WorkerJvm.builder().name(w[0] + "-" + part).mainClass(HttpWorker.class)
            .classpath(classpath).jvmArg("-Xmx64m")
            .arg("client=" + w[1], "mode=" + w[2], "threads=2", "inflight=2", "think=50", "worker=" + w[0],
                "url=" + api.uri("/v1/items?tag=" + part), "runMillis=" + SECONDS * 1000L, "go=" + go,
                "warmup=" + api.uri("/v1/items?tag=warmup"));
        if (agent != null) {
          b.jvmArg(agent);
        }
        workers.add(b.start());
      }
      for (WorkerJvm w : workers) {
        w.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(120));
      }
      say("ready in %.1f s", (System.nanoTime() - t0) / 1e9);
      Thread.sleep(1_500); // the warm-up calls leave the API's window
      create(go);
      long start = System.nanoTime();
      say("  second  %s   accepted  429s", WORKERS.stream().map(w -> String.format("%11s", w[0]))
          .collect(Collectors.joining(" ")));
      for (int second = 0; second < SECONDS; second++) {
        Thread.sleep(Math.max(0, (start + (second + 1) * 1_000_000_000L - System.nanoTime()) / 1_000_000));
        long from = start + second * 1_000_000_000L;
        List<StrictUpstream.Arrival> in = arrivals(api, part).stream()
            .filter(a -> a.nanos >= from && a.nanos < from + 1_000_000_000L).collect(Collectors.toList());
        StringBuilder line = new StringBuilder(String.format("  %6d  ", second + 1));
        for (String[] w : WORKERS) {
          line.append(String.format("%11d ", in.stream().filter(a -> w[0].equals(a.worker)).count()));
        }
        say("%s %9d %5d", line, in.stream().filter(a -> a.status != 429).count(),
            in.stream().filter(a -> a.status == 429).count());
      }
      for (WorkerJvm w : workers) {
        w.awaitLine(l -> l.startsWith("DONE"), Duration.ofSeconds(60));
      }
      List<StrictUpstream.Arrival> all = arrivals(api, part);
      Result r = new Result();
      r.calls = all.size();
      r.refused = all.stream().filter(a -> a.status == 429).count();
      r.acceptedPerSecond = (r.calls - r.refused) / (double) SECONDS;
      r.maxInSecond = StrictUpstream.maxInAnyWindow(all.stream().filter(a -> a.status != 429)
          .collect(Collectors.toList()), Duration.ofSeconds(1));
      return r;
    } finally {
      for (WorkerJvm w : workers) {
        w.close();
      }
    }
  }

  private static List<StrictUpstream.Arrival> arrivals(StrictUpstream api, String part) {
    return api.arrivals().stream().filter(a -> part.equals(a.tag)).collect(Collectors.toList());
  }

  /**
   * {@code java -cp ...} puts the demo's class path in {@code java.class.path}; {@code mvn exec:java} runs it
   * inside Maven's JVM, where that property names Maven's launcher and the demo's classes come from a class
   * loader of the plugin's: then its URLs are the class path.
   */
  private static List<String> classpath() {
    ClassLoader loader = Demo.class.getClassLoader();
    List<String> entries = new ArrayList<>();
    if (loader instanceof URLClassLoader && loader != ClassLoader.getSystemClassLoader()) {
      for (URL url : ((URLClassLoader) loader).getURLs()) {
        try {
          entries.add(Paths.get(url.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
          // not a file: nothing a child JVM could load from
        }
      }
    }
    if (entries.isEmpty()) {
      entries.addAll(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
    }
    return entries;
  }

  private static void create(Path file) {
    try {
      Files.createFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temporary directory
    }
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
  }
}
