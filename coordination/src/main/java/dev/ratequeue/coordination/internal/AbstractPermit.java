package dev.ratequeue.coordination.internal;

import dev.ratequeue.coordination.Permit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every permit does the same way: it ends once (close and give-back race safely), and its
 * load can be corrected at any time. The coordinator kind says what ending and correcting mean.
 */
public abstract class AbstractPermit implements Permit {
  private final AtomicBoolean open = new AtomicBoolean(true);
  private volatile long load;

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
    }
  }

  /** The caller went away before receiving the permit: the call is not made, so its turn is refunded. */
  public final void giveBack() {
    if (open.compareAndSet(true, false)) {
      givenBack();
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
