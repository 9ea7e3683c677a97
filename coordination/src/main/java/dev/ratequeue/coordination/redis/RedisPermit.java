package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.internal.AbstractPermit;
import java.time.Instant;

final class RedisPermit extends AbstractPermit {
  private final RedisResourceLimiter limiter;
  private final String id;
  private final long grantedAtMicros;
  private final boolean leased;

  RedisPermit(RedisResourceLimiter limiter, String id, long load, long grantedAtMicros, boolean leased) {
    super(load);
    this.limiter = limiter;
    this.id = id;
    this.grantedAtMicros = grantedAtMicros;
    this.leased = leased;
  }

  /** The waiter id, which is also the lease id in Redis. */
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
  public Instant grantedAt() {
    return Instant.ofEpochSecond(grantedAtMicros / 1_000_000, (grantedAtMicros % 1_000_000) * 1000);
  }

  @Override
  protected void released() {
    limiter.release(this);
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
