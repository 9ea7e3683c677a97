package dev.ratequeue.testing.workers;

import dev.ratequeue.api.RateQueue;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker process as the agent tests start it, with {@code -javaagent}: it knows nothing of RateQueue but
 * the {@code RateQueue} scope facade (and only when told to use a priority). Arguments are {@code key=value}:
 *
 * <pre>
 *   client=okhttp|hc5|jdk|annotated  mode=sync|async  url=URI[,URI…] (round robin)
 *   threads=N (sync)  inflight=N (async: calls outstanding at once)  runMillis=N | count=N
 *   priority=P (calls made inside RateQueue.priority(P))  think=MS (pause after each call: a paced workload)  go=FILE (after READY, wait for it to exist)
 *   pending=N (async: send N calls at once, report THREADS, then wait to be killed)
 *   worker=NAME (added to every URL as ?worker=NAME, so the upstream knows who sent what)
 *   maxTokens=N (openai, openai-stream: each completion's max_completion_tokens; 40 unless set)
 *   warmup=URI (one call before READY: the agent connected and the path compiled, as in a worker up for a while)
 *   linger=FILE (after DONE, stay up until it exists: a test reads the worker's final metrics meanwhile)
 * </pre>
 *
 * Prints {@code READY}, then {@code DONE sent= ok= s429= denied= failed=} and up to 5 {@code ERROR} lines.
 */
public final class HttpWorker {
  private final Driver driver;
  private final List<URI> urls = new ArrayList<>();
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong denied = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong other = new AtomicLong();
  private final AtomicInteger errorsShown = new AtomicInteger();
  private final int priority;
  private final long thinkMillis;

  private HttpWorker(Map<String, String> args) {
    this.driver = Driver.named(args.get("client"), args);
    String worker = args.get("worker");
    for (String u : args.get("url").split(",")) {
      urls.add(URI.create(worker == null ? u : u + (u.contains("?") ? "&" : "?") + "worker=" + worker));
    }
    this.priority = args.containsKey("priority") ? Integer.parseInt(args.get("priority")) : RateQueue.DEFAULT_PRIORITY;
    this.thinkMillis = Long.parseLong(args.getOrDefault("think", "0"));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      args.put(a.substring(0, eq), a.substring(eq + 1));
    }
    HttpWorker worker = new HttpWorker(args);
    boolean async = "async".equals(args.getOrDefault("mode", "sync"));
    if (args.containsKey("warmup")) {
      worker.warmUp(URI.create(args.get("warmup")), async);
    }
    System.out.println("READY agent=" + RateQueue.agentAttached());
    if (args.containsKey("go")) {
      Path go = Paths.get(args.get("go"));
      while (!Files.exists(go)) {
        Thread.sleep(5);
      }
    }
    if (args.containsKey("pending")) {
      worker.pending(Integer.parseInt(args.get("pending")));
      return;
    }
    long runMillis = Long.parseLong(args.getOrDefault("runMillis", "0"));
    long count = Long.parseLong(args.getOrDefault("count", "0"));
    if (async) {
      worker.runAsync(Integer.parseInt(args.getOrDefault("inflight", "64")), runMillis, count);
    } else {
      worker.runSync(Integer.parseInt(args.getOrDefault("threads", "16")), runMillis, count);
    }
    System.out.println("DONE sent=" + worker.sent + " ok=" + worker.ok + " s429=" + worker.refused + " denied="
        + worker.denied + " failed=" + worker.failed + " other=" + worker.other);
    if (args.containsKey("linger")) {
      Path linger = Paths.get(args.get("linger"));
      long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(5); // never outlive a test that forgot it
      while (!Files.exists(linger) && System.nanoTime() < giveUp) {
        Thread.sleep(20);
      }
    }
    System.exit(0);
  }

  /**
   * One call the way the run will make them, as an application that has been up a while: the agent connected,
   * the client built and connected, its code loaded. Otherwise the first calls' permits would be granted while
   * a cold client is still starting, and their requests would reach the upstream together once it is ready.
   */
  private void warmUp(URI uri, boolean async) throws InterruptedException {
    if (!async) {
      try {
        System.out.println("WARMUP status=" + driver.call(uri));
      } catch (Exception e) {
        System.out.println("WARMUP failed " + e);
      }
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    driver.callAsync(uri, status -> {
      System.out.println("WARMUP status=" + status);
      done.countDown();
    }, error -> {
      System.out.println("WARMUP failed " + error);
      done.countDown();
    });
    done.await(60, TimeUnit.SECONDS);
  }

  private URI nextUrl() {
    return urls.get((int) (next.getAndIncrement() % urls.size()));
  }

  private boolean more(long end, long count) {
    return count > 0 ? sent.get() < count : System.nanoTime() < end;
  }

  private void runSync(int threads, long runMillis, long count) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMillis);
    AtomicLong claimed = new AtomicLong();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        while (count > 0 ? claimed.incrementAndGet() <= count : System.nanoTime() < end) {
          sent.incrementAndGet();
          try (RateQueue.Scope scope = RateQueue.priority(priority)) {
            record(driver.call(nextUrl()));
          } catch (Exception e) {
            failure(e);
          }
          think();
        }
      }, "worker-" + t);
      thread.start();
      all.add(thread);
    }
    for (Thread t : all) {
      t.join();
    }
  }

  private void runAsync(int inflight, long runMillis, long count) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMillis);
    Semaphore slots = new Semaphore(inflight);
    while (more(end, count)) {
      if (!slots.tryAcquire(50, TimeUnit.MILLISECONDS)) {
        continue;
      }
      sent.incrementAndGet();
      try (RateQueue.Scope scope = RateQueue.priority(priority)) {
        driver.callAsync(nextUrl(), status -> {
          record(status);
          slots.release();
        }, error -> {
          failure(error);
          slots.release();
        });
      }
      think();
    }
    // What was sent before the end still completes: wait for it (bounded by the test's own timeout).
    slots.acquire(inflight);
  }

  /** Sends {@code n} calls at once and reports how many threads that took, while they all wait. */
  private void pending(int n) throws InterruptedException {
    int before = threads();
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      sent.incrementAndGet();
      driver.callAsync(nextUrl(), status -> {
        record(status);
        done.countDown();
      }, error -> {
        failure(error);
        done.countDown();
      });
    }
    Thread.sleep(2000);
    System.out.println("THREADS before=" + before + " after=" + threads() + " peak="
        + ManagementFactory.getThreadMXBean().getPeakThreadCount() + " completed=" + (n - done.getCount())
        + " ok=" + ok + " failed=" + failed + " denied=" + denied);
    Thread.sleep(TimeUnit.MINUTES.toMillis(10)); // the test kills us
  }

  private void think() {
    if (thinkMillis > 0) {
      try {
        Thread.sleep(thinkMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private void record(int status) {
    if (status == 200) {
      ok.incrementAndGet();
    } else if (status == 429) {
      refused.incrementAndGet();
    } else {
      other.incrementAndGet();
    }
  }

  private void failure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getClass().getName().equals("dev.ratequeue.bootstrap.PermitDeniedException")) {
        denied.incrementAndGet();
        show("DENIED", t);
        return;
      }
    }
    failed.incrementAndGet();
    show("ERROR", error);
  }

  private void show(String kind, Throwable error) {
    if (errorsShown.incrementAndGet() <= 5) {
      System.out.println(kind + " " + error);
    }
  }
}
