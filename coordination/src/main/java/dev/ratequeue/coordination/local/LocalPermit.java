package dev.ratequeue.coordination.local;

import dev.ratequeue.coordination.Permit;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

final class LocalPermit implements Permit {
  private final LocalResourceLimiter limiter;
  private final long grantedAtNanos;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private volatile long load;

  LocalPermit(LocalResourceLimiter limiter, long load, long grantedAtNanos) {
    this.limiter = limiter;
    this.load = load;
    this.grantedAtNanos = grantedAtNanos;
  }

  @Override
  public String resource() {
    return limiter.resource();
  }

  @Override
  public long load() {
    return load;
  }

  @Override
  public Instant grantedAt() {
    return limiter.instantOf(grantedAtNanos);
  }

  @Override
  public synchronized void reconcile(long actualLoad) {
    dev.ratequeue.coordination.internal.Acquisitions.requireValidLoad(actualLoad);
    long delta = actualLoad - load;
    load = actualLoad;
    if (delta != 0) {
      limiter.reconcile(this, delta);
    }
  }

  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      limiter.release(this);
    }
  }

  void giveBack() {
    if (open.compareAndSet(true, false)) {
      limiter.giveBack(this);
    }
  }

  @Override
  public String toString() {
    return "permit " + resource() + " load " + load + (open.get() ? "" : " (closed)");
  }
}
