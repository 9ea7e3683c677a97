package dev.ratequeue.coordination.local;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.RateQueueException;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.internal.RateQueueThreads;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;

/** Coordinates the threads of this JVM only: the embedded default, and the Redis coordinator's fallback. */
public final class LocalCoordinator implements Coordinator {
  private final CoordinatorOptions options;
  private final ConcurrentHashMap<String, LocalResourceLimiter> limiters = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = RateQueueThreads.timer("ratequeue-local-timer");
  private final ThreadPoolExecutor completions = RateQueueThreads.completions("ratequeue-local-grants");
  private volatile boolean closed;

  public LocalCoordinator(CoordinatorOptions options) {
    this.options = options;
  }

  @Override
  public ResourceLimiter limiter(ResourceLimits limits) {
    if (closed) {
      throw new RateQueueException("coordinator is closed");
    }
    return limiters.computeIfAbsent(limits.name(),
        n -> new LocalResourceLimiter(limits, Ticker.SYSTEM, options.lookahead(), timer, completions));
  }

  @Override
  public String describe() {
    return "local";
  }

  @Override
  public void close() {
    closed = true;
    RateQueueException closedError = new RateQueueException("coordinator is closed");
    limiters.values().forEach(l -> l.drain(true).forEach(w -> w.future.completeExceptionally(closedError)));
    timer.shutdownNow();
    completions.shutdown();
  }
}
