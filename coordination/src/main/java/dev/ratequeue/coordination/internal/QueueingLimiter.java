package dev.ratequeue.coordination.internal;

import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceStats;
import dev.ratequeue.coordination.UpstreamCounters;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Blocking and asynchronous acquires are one queue entry each; only blocking waits on it. Every
 * acquire passes here, so this is where a limiter's {@link ResourceStats} are recorded, the same
 * way for every coordinator kind.
 */
public abstract class QueueingLimiter implements ResourceLimiter {
  private final LimiterStats stats = new LimiterStats(this::resource, this::coordinatorReachable);

  @Override
  public final Permit acquire(long load, int priority) throws InterruptedException {
    long start = System.nanoTime();
    CompletableFuture<Permit> pending = enqueue(load, priority, true);
    stats.enqueued();
    Permit permit;
    try {
      permit = Acquisitions.await(pending);
    } catch (InterruptedException | RuntimeException e) {
      stats.failed(e);
      throw e;
    }
    stats.granted(start, permit, System.nanoTime());
    return permit;
  }

  @Override
  public final CompletableFuture<Permit> acquireAsync(long load, int priority) {
    long start = System.nanoTime();
    CompletableFuture<Permit> pending = enqueue(load, priority, false);
    stats.enqueued();
    // Recorded beside the caller's own callbacks, on the same future: a wrapper would not pass a
    // cancel on to the queue.
    pending.whenComplete((permit, failure) -> {
      if (failure == null) {
        stats.granted(start, permit, System.nanoTime());
      } else {
        stats.failed(failure);
      }
    });
    return pending;
  }

  @Override
  public final Optional<Permit> tryAcquire(long load, int priority) {
    Optional<Permit> permit = tryNow(load, priority);
    permit.ifPresent(stats::grantedNow);
    return permit;
  }

  private volatile UpstreamCounters upstream = UpstreamCounters.NONE;

  @Override
  public final ResourceStats stats() {
    return stats;
  }

  /** The recording itself, whose recent wait times a coordinator publishes for the fleet. */
  public final LimiterStats recordedStats() {
    return stats;
  }

  @Override
  public final void countUpstreamWith(UpstreamCounters counters) {
    upstream = counters == null ? UpstreamCounters.NONE : counters;
  }

  public final UpstreamCounters upstreamCounters() {
    return upstream;
  }

  /**
   * Queues one call. {@code synchronous} says a thread blocks on the result: its future may then be
   * completed on the coordinator's own threads, since no application callback hangs on it.
   */
  protected abstract CompletableFuture<Permit> enqueue(long load, int priority, boolean synchronous);

  /** See {@link #tryAcquire}. */
  protected abstract Optional<Permit> tryNow(long load, int priority);

  /** Whether decisions are made by the coordinator now, rather than by the failure policy. */
  protected boolean coordinatorReachable() {
    return true;
  }
}
