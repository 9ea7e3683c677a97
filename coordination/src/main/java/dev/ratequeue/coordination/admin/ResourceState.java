package dev.ratequeue.coordination.admin;

import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceSnapshot;

/** One resource as the coordinator holds it: its limits, their origin, and what the fleet does with it now. */
public final class ResourceState {
  private final ResourceLimits limits;
  private final LimitsOrigin origin;
  private final ResourceSnapshot snapshot;

  public ResourceState(ResourceLimits limits, LimitsOrigin origin, ResourceSnapshot snapshot) {
    this.limits = limits;
    this.origin = origin;
    this.snapshot = snapshot;
  }

  public String resource() {
    return limits.name();
  }

  public ResourceLimits limits() {
    return limits;
  }

  public LimitsOrigin origin() {
    return origin;
  }

  public ResourceSnapshot snapshot() {
    return snapshot;
  }
}
