package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.internal.AbstractPermit;
import java.time.Instant;

/** What {@code on-coordinator-failure = allow} grants while the coordinator is unreachable: nothing to give back. */
final class UnlimitedPermit extends AbstractPermit {
  private final String resource;
  private final Instant grantedAt = Instant.now();

  UnlimitedPermit(String resource, long load) {
    super(load);
    this.resource = resource;
  }

  @Override
  public String resource() {
    return resource;
  }

  @Override
  public Instant grantedAt() {
    return grantedAt;
  }

  @Override
  protected void released() {}

  @Override
  protected void givenBack() {}

  @Override
  protected void reconciled(long delta) {}
}
