package dev.ratequeue.coordination.local;

import dev.ratequeue.coordination.Permit;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** A call waiting in one resource's queue. */
final class Waiter {
  /** Higher priority first, then arrival order: the order of the whole queue. */
  static final Comparator<Waiter> ORDER =
      Comparator.comparingInt((Waiter w) -> -w.priority).thenComparingLong(w -> w.sequence);

  final CompletableFuture<Permit> future = new CompletableFuture<>();
  final long load;
  final int priority;
  final long sequence;
  final long enqueuedAt;
  final boolean synchronous;
  ScheduledFuture<?> deadline;

  Waiter(long load, int priority, long sequence, long enqueuedAt, boolean synchronous) {
    this.load = load;
    this.priority = priority;
    this.sequence = sequence;
    this.enqueuedAt = enqueuedAt;
    this.synchronous = synchronous;
  }
}
