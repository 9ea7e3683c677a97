package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.Permit;
import java.time.Instant;

/** What {@code on-coordinator-failure = allow} grants while the coordinator is unreachable: nothing to give back. */
final class UnlimitedPermit implements Permit {
  private final String resource;
  private final Instant grantedAt = Instant.now();
  private volatile long load;

  UnlimitedPermit(String resource, long load) {
    this.resource = resource;
    this.load = load;
  }

  @Override
  public String resource() {
    return resource;
  }

  @Override
  public long load() {
    return load;
  }

  @Override
  public Instant grantedAt() {
    return grantedAt;
  }

  @Override
  public void reconcile(long actualLoad) {
    load = actualLoad;
  }

  @Override
  public void close() {}
}
