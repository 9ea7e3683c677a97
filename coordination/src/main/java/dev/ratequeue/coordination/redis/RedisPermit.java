package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.internal.Acquisitions;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

final class RedisPermit implements Permit {
  private final RedisResourceLimiter limiter;
  private final String id;
  private final long grantedAtMicros;
  private final boolean leased;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private volatile long load;

  RedisPermit(RedisResourceLimiter limiter, String id, long load, long grantedAtMicros, boolean leased) {
    this.limiter = limiter;
    this.id = id;
    this.load = load;
    this.grantedAtMicros = grantedAtMicros;
    this.leased = leased;
  }

  String id() {
    return id;
  }

  boolean leased() {
    return leased;
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
    return limiter.instantOfMicros(grantedAtMicros);
  }

  @Override
  public synchronized void reconcile(long actualLoad) {
    Acquisitions.requireValidLoad(actualLoad);
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

  /** The caller went away before receiving it: the call is not made, so its turn is refunded. */
  void giveBack() {
    if (open.compareAndSet(true, false)) {
      limiter.giveBack(this);
    }
  }

  @Override
  public String toString() {
    return "permit " + id + " for " + resource() + " load " + load + (open.get() ? "" : " (closed)");
  }
}
