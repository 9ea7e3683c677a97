package dev.ratequeue.coordination.internal;

import dev.ratequeue.coordination.Permit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every permit does the same way: it ends once (close and give-back race safely), and its
 * load can be corrected at any time. The coordinator kind says what ending and correcting mean.
 */
public abstract class AbstractPermit implements Permit {
  private final AtomicBoolean open = new AtomicBoolean(true);
  private volatile long load;
  /** The in-flight count this permit is in, until it ends; see {@link #countInFlight}. */
  private final AtomicReference<LongAdder> inFlight = new AtomicReference<>();

  protected AbstractPermit(long load) {
    this.load = load;
  }

  @Override
  public final long load() {
    return load;
  }

  @Override
  public final synchronized void reconcile(long actualLoad) {
    Acquisitions.requireValidLoad(actualLoad);
    long delta = actualLoad - load;
    load = actualLoad;
    if (delta != 0) {
      reconciled(delta);
    }
  }

  @Override
  public final void close() {
    if (open.compareAndSet(true, false)) {
      released();
      leaveInFlight();
    }
  }

  /** The caller went away before receiving the permit: the call is not made, so its turn is refunded. */
  public final void giveBack() {
    if (open.compareAndSet(true, false)) {
      givenBack();
      leaveInFlight();
    }
  }

  /**
   * Counts this permit in {@code counter} until it ends. The caller may have closed it already (a
   * granted future wakes its waiter before later callbacks run), so the count is checked after it
   * is published: whichever of the two sides comes second takes it out, exactly once.
   */
  final void countInFlight(LongAdder counter) {
    counter.increment();
    inFlight.set(counter);
    if (!open.get()) {
      leaveInFlight();
    }
  }

  private void leaveInFlight() {
    LongAdder counter = inFlight.getAndSet(null);
    if (counter != null) {
      counter.decrement();
    }
  }

  /** The call is over: return its concurrency slot. */
  protected abstract void released();

  /** The call never happened: return its slot and refund its turn. */
  protected abstract void givenBack();

  /** The call weighed {@code delta} more (or, negative, less) than granted. */
  protected abstract void reconciled(long delta);

  @Override
  public String toString() {
    return "permit for " + resource() + " load " + load + (open.get() ? "" : " (closed)");
  }
}
