package dev.ratequeue.it.agent;

import dev.ratequeue.it.agent.workers.ConflictingApp;
import dev.ratequeue.it.agent.workers.MicrometerApp;
import dev.ratequeue.testing.workers.HttpWorker;
import dev.ratequeue.testing.WorkerJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Worker JVMs started the way users start theirs: {@code java -javaagent:ratequeue-agent.jar=<file>} with the
 * application's own class path (the worker classes, the API jar and one client library) and nothing of
 * RateQueue's inside it. Started together, released together by a go file, killed by {@link #close()}.
 */
final class AgentWorkers implements AutoCloseable {
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final Path goFile;
  private final Path config;
  private final List<WorkerJvm> workers = new ArrayList<>();

  /** {@code settings}: the agent's properties file, keys without the {@code ratequeue.} prefix. */
  AgentWorkers(Map<String, String> settings) {
    try {
      dir = Files.createTempDirectory("ratequeue-agent-it-");
      goFile = dir.resolve("go");
      config = dir.resolve("ratequeue.properties");
      Properties p = new Properties();
      settings.forEach((k, v) -> p.setProperty("ratequeue." + k, v));
      try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
        p.store(w, "written by " + getClass().getName());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, String> settings(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  static String property(String name) {
    String v = System.getProperty(name);
    if (v == null) {
      throw new IllegalStateException("system property " + name + " is not set: run through Maven (mvn verify)");
    }
    return v;
  }

  static Path agentJar() {
    Path jar = Paths.get(property("ratequeue.it.agent-jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the agent jar is built in the package phase, run 'mvn verify'");
    }
    return jar;
  }

  Path configFile() {
    return config;
  }

  /** A worker that waits for {@link #go()} after READY. {@code args}: see {@link HttpWorker}. */
  WorkerJvm start(String name, ClientLib lib, String... args) {
    return start(name, lib, agentArgs(), goFile, args);
  }

  /** A worker released by {@link #go(String)} of its {@code group}, not by {@link #go()}. */
  WorkerJvm startInGroup(String group, String name, ClientLib lib, String... args) {
    return start(name, lib, agentArgs(), goFile.resolveSibling("go-" + group), args);
  }

  List<String> agentArgs() {
    return Arrays.asList("-javaagent:" + agentJar() + "=" + config);
  }

  /** {@code go}: the file the worker waits for after READY, or {@code null} to run at once. */
  WorkerJvm start(String name, ClientLib lib, List<String> jvmArgs, Path go, String... args) {
    Class<?> main = lib == ClientLib.CONFLICTING_APP ? ConflictingApp.class
        : lib == ClientLib.MICROMETER ? MicrometerApp.class : HttpWorker.class;
    return start(main, name, lib, jvmArgs, go, args);
  }

  WorkerJvm start(Class<?> main, String name, ClientLib lib, List<String> jvmArgs, Path go, String... args) {
    List<String> cp = new ArrayList<>();
    cp.add(property("ratequeue.it.worker-classes"));
    cp.add(property("ratequeue.it.api-jar"));
    lib.jars().forEach(j -> cp.add(j.toString()));
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (go != null) {
      all.add("go=" + go);
    }
    WorkerJvm.Builder b = WorkerJvm.builder().name(name).mainClass(main)
        .classpath(String.join(File.pathSeparator, cp)).jvmArg("-Xmx128m").arg(all.toArray(new String[0]));
    jvmArgs.forEach(b::jvmArg);
    WorkerJvm w = b.start();
    workers.add(w);
    return w;
  }

  void awaitReady() {
    for (WorkerJvm w : workers) {
      w.awaitLine(l -> l.startsWith("READY"), START_TIMEOUT);
    }
  }

  void go() {
    create(goFile);
  }

  void go(String group) {
    create(goFile.resolveSibling("go-" + group));
  }

  private static void create(Path file) {
    try {
      Files.createFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<WorkerResult> awaitDone(Duration timeout) {
    return awaitDone(workers, timeout);
  }

  static List<WorkerResult> awaitDone(List<WorkerJvm> some, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    List<WorkerResult> results = new ArrayList<>();
    for (WorkerJvm w : some) {
      String done = w.awaitLine(l -> l.startsWith("DONE"), Duration.ofNanos(Math.max(1, end - System.nanoTime())));
      results.add(WorkerResult.parse(w.name(), done, w.outputLines()));
    }
    return results;
  }

  List<WorkerJvm> workers() {
    return workers;
  }

  @Override
  public void close() {
    for (WorkerJvm w : workers) {
      w.close();
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temporary directory
    }
  }
}
