package dev.ratequeue.coordination.internal;

import dev.ratequeue.coordination.CoordinatorUnavailableException;
import dev.ratequeue.coordination.MaxWaitExceededException;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceStats;
import dev.ratequeue.coordination.WaitTimes;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Records what one limiter's calls do, on the acquire path: a few {@link LongAdder} increments and one
 * histogram value per call, no lock, no allocation beyond what HdrHistogram's recorder does.
 */
public final class LimiterStats implements ResourceStats {
  /** Asked when read: the limiter's name is not set yet when its stats are built. */
  private final Supplier<String> resource;
  private final BooleanSupplier coordinatorReachable;
  private final LongAdder waiting = new LongAdder();
  private final LongAdder inFlight = new LongAdder();
  private final LongAdder granted = new LongAdder();
  private final LongAdder cancelled = new LongAdder();
  private final LongAdder[] rejected = new LongAdder[Rejection.values().length];
  private final WaitWindow waits;

  public LimiterStats(Supplier<String> resource, BooleanSupplier coordinatorReachable) {
    this(resource, coordinatorReachable, System::nanoTime);
  }

  LimiterStats(Supplier<String> resource, BooleanSupplier coordinatorReachable, LongSupplier nanoTime) {
    this.resource = resource;
    this.coordinatorReachable = coordinatorReachable;
    this.waits = new WaitWindow(nanoTime);
    for (int i = 0; i < rejected.length; i++) {
      rejected[i] = new LongAdder();
    }
  }

  /** A call entered the queue. */
  public void enqueued() {
    waiting.increment();
  }

  /** A queued call, enqueued at {@code startNanos}, got {@code permit}. */
  public void granted(long startNanos, Permit permit, long nowNanos) {
    waiting.decrement();
    waits.record(nowNanos - startNanos);
    grantedNow(permit);
  }

  /** A permit granted without queueing (a try-acquire). */
  public void grantedNow(Permit permit) {
    granted.increment();
    if (permit instanceof AbstractPermit) {
      ((AbstractPermit) permit).countInFlight(inFlight);
    }
  }

  /** A queued call ended without a permit. */
  public void failed(Throwable failure) {
    waiting.decrement();
    if (failure instanceof CompletionException && failure.getCause() != null) {
      failure = failure.getCause();
    }
    if (failure instanceof InterruptedException || failure instanceof CancellationException
        || failure.getCause() instanceof CancellationException) {
      cancelled.increment();
    } else if (failure instanceof MaxWaitExceededException) {
      rejected[Rejection.MAX_WAIT.ordinal()].increment();
    } else if (failure instanceof CoordinatorUnavailableException) {
      rejected[Rejection.COORDINATOR_UNAVAILABLE.ordinal()].increment();
    } else {
      rejected[Rejection.ERROR.ordinal()].increment();
    }
  }

  @Override
  public String resource() {
    return resource.get();
  }

  @Override
  public long waiting() {
    return Math.max(0, waiting.sum());
  }

  @Override
  public long inFlight() {
    return Math.max(0, inFlight.sum());
  }

  @Override
  public long granted() {
    return granted.sum();
  }

  @Override
  public long rejected(Rejection reason) {
    return rejected[reason.ordinal()].sum();
  }

  @Override
  public long cancelled() {
    return cancelled.sum();
  }

  @Override
  public WaitTimes waitTimes() {
    return waits.read();
  }

  /** The waits of the last 10 to 20 s, for the fleet's telemetry to merge with other JVMs'. */
  public org.HdrHistogram.Histogram recentWaits() {
    return waits.recent();
  }

  @Override
  public CoordinatorState coordinatorState() {
    return coordinatorReachable.getAsBoolean() ? CoordinatorState.CONNECTED : CoordinatorState.DEGRADED;
  }

  @Override
  public String toString() {
    return resource() + ": waiting " + waiting() + ", in flight " + inFlight() + ", granted " + granted()
        + ", rejected " + rejected() + ", cancelled " + cancelled() + ", " + coordinatorState();
  }
}
