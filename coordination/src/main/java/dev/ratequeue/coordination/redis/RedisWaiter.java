package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.Permit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** One of this JVM's calls while it waits in the shared queue. */
final class RedisWaiter {
  final String id;
  final long load;
  final int priority;
  final boolean synchronous;
  final long enqueuedAtNanos;
  /** When max-wait runs out, by this JVM's monotonic clock; it follows the call into a fallback. */
  final long deadlineNanos;
  final CompletableFuture<Permit> future = new CompletableFuture<>();
  volatile ScheduledFuture<?> deadline;

  RedisWaiter(String id, long load, int priority, boolean synchronous, long enqueuedAtNanos, long maxWaitNanos) {
    this.id = id;
    this.load = load;
    this.priority = priority;
    this.synchronous = synchronous;
    this.enqueuedAtNanos = enqueuedAtNanos;
    this.deadlineNanos = enqueuedAtNanos + maxWaitNanos;
  }
}
