package dev.ratequeue.it;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.CoordinatorUnavailableException;
import dev.ratequeue.coordination.FailurePolicy;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The main class of one worker JVM in the integration tests: it takes a limiter from the coordinator named on
 * its command line and asks it for permits, and reports every grant on standard output.
 *
 * <p>Arguments are {@code key=value} pairs (see {@link WorkerArgs} for the test side that builds them):
 * <ul>
 *   <li>{@code coordinator}, {@code namespace}, {@code resource}; limits {@code requests=N/periodMillis},
 *       {@code burst}, {@code concurrency}, {@code maxWaitMillis}, {@code policy=local|allow|fail};
 *       coordinator options {@code leaseTtlMillis}, {@code lookaheadMillis}, {@code commandTimeoutMillis};</li>
 *   <li>{@code mode}: {@code loop} (default: {@code threads} threads call {@code acquire} in a loop for
 *       {@code runMillis}, closing each permit after {@code holdMillis}), {@code async} (enqueue {@code count}
 *       calls with {@code acquireAsync} one after the other, in that order) or {@code hold} (acquire
 *       {@code hold} permits and keep them, then queue {@code waiters} more calls, then wait to be killed);</li>
 *   <li>{@code priority} of every call; {@code go}: a file whose appearance starts the run, so JVM start-up is
 *       not part of what is measured; {@code warmup}: permits to take first from another resource, so the
 *       engine's code is compiled before the run.</li>
 * </ul>
 *
 * <p>Output, one line each (the first three fields after {@code GRANT} are the ones the brief names):
 * <pre>
 * READY &lt;pid&gt; ...                      limiter created and one round trip made (then start-up timings)
 * GO &lt;epoch micros&gt;                     the go file appeared (local clock)
 * GRANT &lt;grantedAt epoch micros&gt; &lt;priority&gt; &lt;seq&gt; &lt;returned epoch micros&gt; &lt;R|L|U&gt; &lt;wait micros&gt;
 * FAILED &lt;exception simple name&gt; &lt;returned epoch micros&gt; &lt;wait micros&gt;
 * STALL &lt;from epoch micros&gt; &lt;to epoch micros&gt;  this JVM did not run for longer than {@code stallMillis} (20)
 * HUNG &lt;thread&gt;                          a thread still inside acquire long after the run ended
 * DONE &lt;grants&gt; &lt;failures&gt;
 * </pre>
 * {@code grantedAt} is {@link Permit#grantedAt()}: the coordinator's clock (Redis TIME). "returned" is when
 * {@code acquire} returned in this JVM (local clock; same machine as Redis in the tests). {@code R}, {@code L},
 * {@code U}: the permit came from Redis, from the in-JVM fallback share, or is the unlimited permit of policy
 * {@code allow}. {@code seq}: per JVM, the order calls returned ({@code loop}) or were enqueued ({@code async}).
 * "wait" is how long the call took. Lines are buffered and written in batches every 100 ms.
 */
public final class PermitWorker {

  private PermitWorker() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      args.put(a.substring(0, eq), a.substring(eq + 1));
    }
    Output out = new Output(System.out);
    CoordinatorOptions.Builder options = CoordinatorOptions.builder().namespace(args.get("namespace"));
    if (args.containsKey("leaseTtlMillis")) {
      options.leaseTtl(Duration.ofMillis(Long.parseLong(args.get("leaseTtlMillis"))));
    }
    if (args.containsKey("lookaheadMillis")) {
      options.lookahead(Duration.ofMillis(Long.parseLong(args.get("lookaheadMillis"))));
    }
    if (args.containsKey("commandTimeoutMillis")) {
      options.commandTimeout(Duration.ofMillis(Long.parseLong(args.get("commandTimeoutMillis"))));
    }
    long t0 = System.nanoTime();
    Coordinator coordinator = Coordinator.create(args.get("coordinator"), options.build());
    long createdMillis = (System.nanoTime() - t0) / 1_000_000;
    ResourceLimiter limiter = coordinator.limiter(limits(args));
    // A round trip, so READY means this JVM is registered and heart-beating. Cold JVMs starting together on 2
    // cores can take seconds to connect; a resource that is not on Redis yet answers snapshots with
    // CoordinatorUnavailableException (its failure policy is in force): wait for Redis rather than measure that.
    long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        limiter.snapshot();
        break;
      } catch (CoordinatorUnavailableException e) {
        if (System.nanoTime() - readyBy > 0) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
    int warmup = Integer.parseInt(args.getOrDefault("warmup", "0"));
    if (warmup > 0) {
      warmUp(coordinator, args.get("resource") + "-warmup", warmup);
    }
    out.now("READY " + ProcessHandle.current().pid() + " jvm-uptime-ms "
        + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " create-ms " + createdMillis
        + " ready-ms " + (System.nanoTime() - t0) / 1_000_000);

    String go = args.get("go");
    if (go != null) {
      while (!Files.exists(Paths.get(go))) {
        Thread.sleep(1);
      }
      out.now("GO " + epochMicros(Instant.now()));
    }
    StallMeter stalls = new StallMeter(out, TimeUnit.MILLISECONDS.toNanos(
        Long.parseLong(args.getOrDefault("stallMillis", "20"))));
    int priority = Integer.parseInt(args.getOrDefault("priority", "0"));
    String mode = args.getOrDefault("mode", "loop");
    switch (mode) {
      case "loop":
        loop(limiter, priority, args, out);
        break;
      case "async":
        async(limiter, priority, Integer.parseInt(args.get("count")), out);
        break;
      case "hold":
        hold(limiter, priority, Integer.parseInt(args.get("hold")), Integer.parseInt(args.get("waiters")), out);
        return; // never reached: it waits to be killed
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
    stalls.stop();
    out.close();
    coordinator.close();
    System.exit(0);
  }

  /**
   * Takes {@code calls} permits of a separate, practically unlimited resource from 16 threads, so that the
   * engine's acquire path is compiled before the measured run starts, as it is in a worker that has been up
   * for a while. The measured resource is untouched.
   */
  private static void warmUp(Coordinator coordinator, String resource, int calls) throws InterruptedException {
    ResourceLimiter warm = coordinator.limiter(
        ResourceLimits.builder(resource).requests(1_000_000, Duration.ofSeconds(1)).build());
    AtomicLong left = new AtomicLong(calls);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      Thread thread = new Thread(() -> {
        try {
          while (left.decrementAndGet() >= 0) {
            warm.acquire(1, 0).close();
          }
        } catch (InterruptedException | RuntimeException e) {
          // warm-up only: the measured run reports what matters
        }
      }, "warm-up-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  static ResourceLimits limits(Map<String, String> args) {
    ResourceLimits.Builder b = ResourceLimits.builder(args.get("resource"));
    if (args.containsKey("requests")) {
      String[] r = args.get("requests").split("/");
      b.requests(Long.parseLong(r[0]), Duration.ofMillis(Long.parseLong(r[1])));
    }
    b.burst(Long.parseLong(args.getOrDefault("burst", "0")));
    b.concurrency(Integer.parseInt(args.getOrDefault("concurrency", "0")));
    if (args.containsKey("maxWaitMillis")) {
      b.maxWait(Duration.ofMillis(Long.parseLong(args.get("maxWaitMillis"))));
    }
    b.onCoordinatorFailure(FailurePolicy.parse("policy", args.getOrDefault("policy", "local")));
    return b.build();
  }

  private static void loop(ResourceLimiter limiter, int priority, Map<String, String> args, Output out)
      throws InterruptedException {
    int threads = Integer.parseInt(args.getOrDefault("threads", "1"));
    long runNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args.get("runMillis")));
    long holdMillis = Long.parseLong(args.getOrDefault("holdMillis", "0"));
    long end = System.nanoTime() + runNanos;
    AtomicLong seq = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        while (System.nanoTime() - end < 0) {
          long t0 = System.nanoTime();
          try (Permit p = limiter.acquire(1, priority)) {
            Instant returned = Instant.now();
            long waited = (System.nanoTime() - t0) / 1000;
            out.grant(p, priority, seq.incrementAndGet(), returned, waited);
            if (holdMillis > 0) {
              Thread.sleep(holdMillis);
            }
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            out.failure(e, (System.nanoTime() - t0) / 1000);
            // A refusal comes at once (policy fail while Redis is down, a predicted max-wait): don't spin.
            sleepQuietly(20);
          }
        }
      }, "permit-worker-" + t);
      workers.add(thread);
      thread.start();
    }
    // A call in flight when the run ends is bounded by max-wait; a thread still inside acquire well after that hangs.
    long maxWaitMillis = Long.parseLong(args.getOrDefault("maxWaitMillis", "120000"));
    long joinUntil = end + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis + 5_000);
    for (Thread w : workers) {
      w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinUntil - System.nanoTime())));
      if (w.isAlive()) {
        out.line("HUNG " + w.getName());
      }
    }
  }

  private static void async(ResourceLimiter limiter, int priority, int count, Output out) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int seq = 1; seq <= count; seq++) {
      long n = seq;
      long t0 = System.nanoTime();
      done.add(limiter.acquireAsync(1, priority).handle((p, failure) -> {
        if (p != null) {
          out.grant(p, priority, n, Instant.now(), (System.nanoTime() - t0) / 1000);
          p.close();
        } else {
          out.failure(failure, (System.nanoTime() - t0) / 1000);
        }
        return null;
      }));
    }
    out.now("ENQUEUED " + count);
    try {
      CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      out.line("HUNG async " + e);
    }
  }

  private static void hold(ResourceLimiter limiter, int priority, int hold, int waiters, Output out)
      throws InterruptedException {
    List<Permit> held = new ArrayList<>();
    for (int i = 0; i < hold; i++) {
      held.add(limiter.acquire(1, priority));
    }
    out.now("HOLDING " + held.size());
    for (int i = 0; i < waiters; i++) {
      limiter.acquireAsync(1, priority);
    }
    out.now("QUEUED " + waiters);
    Thread.sleep(Long.MAX_VALUE);
  }

  static long epochMicros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Notices when this JVM did not run: a thread that sleeps 1 ms at a time and reports each time it woke up
   * more than a threshold late ({@code STALL <from epoch micros> <to epoch micros>}). On a busy machine that is
   * the CPU given to someone else, or a safepoint pause; a permit due in such a window could not be taken (nor
   * the next one dispatched) by this JVM, whatever the coordinator did.
   */
  static final class StallMeter {
    private final Thread thread;

    StallMeter(Output out, long thresholdNanos) {
      long epochMicros0 = epochMicros(Instant.now());
      long nanos0 = System.nanoTime();
      thread = new Thread(() -> {
        long last = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
          long now = System.nanoTime();
          if (now - last > thresholdNanos) {
            out.line("STALL " + (epochMicros0 + (last - nanos0) / 1000) + " " + (epochMicros0 + (now - nanos0) / 1000));
          }
          last = now;
        }
      }, "stall-meter");
      thread.setDaemon(true);
      thread.setPriority(Thread.MAX_PRIORITY);
      thread.start();
    }

    void stop() {
      thread.interrupt();
    }
  }

  /** Buffers lines and writes them in batches, so printing costs the permit threads next to nothing. */
  static final class Output {
    private final PrintStream stream;
    private final Thread flusher;
    private StringBuilder buffer = new StringBuilder();
    private long grants;
    private long failures;

    Output(PrintStream stream) {
      this.stream = stream;
      this.flusher = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          flush();
          sleepQuietly(100);
        }
      }, "output-flusher");
      flusher.setDaemon(true);
      flusher.start();
    }

    void grant(Permit p, int priority, long seq, Instant returned, long waitedMicros) {
      String source = p.getClass().getSimpleName().startsWith("Redis") ? "R"
          : p.getClass().getSimpleName().startsWith("Local") ? "L" : "U";
      String line = "GRANT " + epochMicros(p.grantedAt()) + " " + priority + " " + seq + " " + epochMicros(returned)
          + " " + source + " " + waitedMicros;
      synchronized (this) {
        grants++;
        buffer.append(line).append('\n');
      }
    }

    void failure(Throwable e, long waitedMicros) {
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      String line = "FAILED " + cause.getClass().getSimpleName() + " " + epochMicros(Instant.now()) + " " + waitedMicros;
      synchronized (this) {
        failures++;
        buffer.append(line).append('\n');
      }
    }

    synchronized void line(String line) {
      buffer.append(line).append('\n');
    }

    /** Writes {@code line} and everything before it right away. */
    void now(String line) {
      line(line);
      flush();
    }

    /** One flush at a time, so batches reach the stream in the order they were taken. */
    void flush() {
      synchronized (stream) {
        StringBuilder out;
        synchronized (this) {
          if (buffer.length() == 0) {
            return;
          }
          out = buffer;
          buffer = new StringBuilder();
        }
        stream.print(out);
        stream.flush();
      }
    }

    void close() {
      flusher.interrupt();
      String done;
      synchronized (this) {
        done = "DONE " + grants + " " + failures;
      }
      now(done);
    }
  }
}
