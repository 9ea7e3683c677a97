package dev.ratequeue.coordination.local;

import dev.ratequeue.coordination.internal.AbstractPermit;
import java.time.Instant;

final class LocalPermit extends AbstractPermit {
  private final LocalResourceLimiter limiter;
  private final long grantedAtNanos;
  private final boolean leased;

  LocalPermit(LocalResourceLimiter limiter, long load, long grantedAtNanos, boolean leased) {
    super(load);
    this.limiter = limiter;
    this.grantedAtNanos = grantedAtNanos;
    this.leased = leased;
  }

  @Override
  public String resource() {
    return limiter.resource();
  }

  @Override
  public Instant grantedAt() {
    return limiter.instantOf(grantedAtNanos);
  }

  @Override
  protected void released() {
    if (leased) {
      limiter.release(this);
    }
  }

  @Override
  protected void givenBack() {
    limiter.giveBack(this);
  }

  @Override
  protected void reconciled(long delta) {
    limiter.reconcile(this, delta);
  }
}
