package dev.ratequeue.coordination.internal;

import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import java.util.concurrent.CompletableFuture;

/** Blocking and asynchronous acquires are one queue entry each; only blocking waits on it. */
public abstract class QueueingLimiter implements ResourceLimiter {
  @Override
  public final Permit acquire(long load, int priority) throws InterruptedException {
    return Acquisitions.await(enqueue(load, priority, true));
  }

  @Override
  public final CompletableFuture<Permit> acquireAsync(long load, int priority) {
    return enqueue(load, priority, false);
  }

  /**
   * Queues one call. {@code synchronous} says a thread blocks on the result: its future may then be
   * completed on the coordinator's own threads, since no application callback hangs on it.
   */
  protected abstract CompletableFuture<Permit> enqueue(long load, int priority, boolean synchronous);
}
