package dev.ratequeue.demo;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.CoordinatorUnavailableException;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker process of the demo: a stand-in for a service that calls a rate-limited API from several threads.
 * Each thread asks its limiter for a permit before every "call" and calls again as soon as it gets one, so
 * the limiter alone decides how fast this worker goes.
 *
 * <p>Arguments: {@code <coordinator> <namespace> <resource> <limit per second> <threads> <start file>
 * <run millis>}. The coordinator is {@code local} (a limiter inside this JVM only) or a {@code redis://} URL
 * (one limit shared by every JVM using that Redis). The worker prints {@code READY}, waits for the start file
 * (which holds the common start time in epoch millis), runs until start + run millis, printing
 * {@code CALL <epoch millis the permit was granted at>} for every permit (in batches), then {@code DONE} and
 * exits.
 */
public final class DemoWorker {
  private DemoWorker() {}

  public static void main(String[] args) throws Exception {
    String coordinatorUrl = args[0];
    String namespace = args[1];
    String resource = args[2];
    int limit = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    Path startFile = Paths.get(args[5]);
    long runMillis = Long.parseLong(args[6]);

    // Several cold JVMs loading Lettuce and Netty at once on a small machine can take a few seconds to make
    // their first connection; a generous command timeout lets the start-up wait for it (the coordinator waits
    // twice this long) instead of starting on the local fallback.
    CoordinatorOptions options = CoordinatorOptions.builder().namespace(namespace)
        .commandTimeout(Duration.ofSeconds(5)).build();
    Coordinator coordinator = Coordinator.create(coordinatorUrl, options);
    ResourceLimiter limiter = coordinator.limiter(
        ResourceLimits.builder(resource).requests(limit, Duration.ofSeconds(1)).build());
    awaitCoordinator(limiter);
    warmUp(coordinator, resource + "-warmup");
    System.out.println("READY");
    System.out.flush();

    while (!Files.exists(startFile)) {
      Thread.sleep(5);
    }
    long start = Long.parseLong(new String(Files.readAllBytes(startFile), StandardCharsets.UTF_8).trim());
    long end = start + runMillis;
    Thread.sleep(Math.max(0, start - System.currentTimeMillis()));

    StringBuilder calls = new StringBuilder();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread caller = new Thread(() -> {
        while (System.currentTimeMillis() < end) {
          try (Permit permit = limiter.acquire()) {
            // When the limiter granted it: by Redis' clock for the shared limit (the clock the limit is kept
            // by; same machine here), by this JVM's for a local one.
            long grantedAt = permit.grantedAt().toEpochMilli();
            synchronized (calls) {
              calls.append("CALL ").append(grantedAt).append('\n');
            }
            // ... here the real worker would call the API ...
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            System.err.println("call refused: " + e.getMessage());
            sleep(100);
          }
        }
      }, "caller-" + t);
      caller.setDaemon(true); // a caller still queued when the run ends must not keep the JVM alive
      callers.add(caller);
      caller.start();
    }
    while (System.currentTimeMillis() < end + 100) {
      Thread.sleep(100);
      flush(calls);
    }
    flush(calls);
    System.out.println("DONE");
    System.out.flush();
    // The callers still waiting are left in the queue on purpose: exiting ends them, and the demo is over.
    Runtime.getRuntime().halt(0);
  }

  /** A few calls on a resource of its own, so the first second of the run does not pay for class loading. */
  private static void warmUp(Coordinator coordinator, String resource) throws InterruptedException {
    ResourceLimiter warm = coordinator.limiter(
        ResourceLimits.builder(resource).requests(100_000, Duration.ofSeconds(1)).build());
    for (int i = 0; i < 50; i++) {
      warm.acquire().close();
    }
  }

  /** A round trip to the coordinator, so that READY means: connected, registered, and sharing the limit. */
  private static void awaitCoordinator(ResourceLimiter limiter) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        limiter.snapshot();
        return;
      } catch (CoordinatorUnavailableException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void flush(StringBuilder calls) {
    String batch;
    synchronized (calls) {
      batch = calls.toString();
      calls.setLength(0);
    }
    if (!batch.isEmpty()) {
      System.out.print(batch);
      System.out.flush();
    }
  }
}
