package dev.ratequeue.agent.metrics;

import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceStats;
import dev.ratequeue.coordination.ResourceStats.Rejection;

/** Reads one resource's metrics on each JMX request: nothing is cached, nothing runs between requests. */
final class ResourceBean implements ResourceMXBean {
  private final ResourceMetrics metrics;

  ResourceBean(ResourceMetrics metrics) {
    this.metrics = metrics;
  }

  /** {@code connected}, or {@code degraded (on-coordinator-failure = …)}. */
  static String coordinatorState(ResourceMetrics m) {
    return m.stats().coordinatorState() == ResourceStats.CoordinatorState.CONNECTED ? "connected"
        : "degraded (on-coordinator-failure = " + m.limits().onCoordinatorFailure() + ")";
  }

  private static double millis(long micros) {
    return micros / 1000.0;
  }

  @Override
  public String getResource() {
    return metrics.resource();
  }

  @Override
  public long getWaiting() {
    return metrics.stats().waiting();
  }

  @Override
  public long getInFlight() {
    return metrics.stats().inFlight();
  }

  @Override
  public long getGranted() {
    return metrics.stats().granted();
  }

  @Override
  public long getRejected() {
    return metrics.stats().rejected();
  }

  @Override
  public long getRejectedMaxWait() {
    return metrics.stats().rejected(Rejection.MAX_WAIT);
  }

  @Override
  public long getRejectedCoordinatorUnavailable() {
    return metrics.stats().rejected(Rejection.COORDINATOR_UNAVAILABLE);
  }

  @Override
  public long getCancelled() {
    return metrics.stats().cancelled();
  }

  @Override
  public double getWaitP50Millis() {
    return millis(metrics.stats().waitTimes().p50Micros());
  }

  @Override
  public double getWaitP99Millis() {
    return millis(metrics.stats().waitTimes().p99Micros());
  }

  @Override
  public double getWaitP999Millis() {
    return millis(metrics.stats().waitTimes().p999Micros());
  }

  @Override
  public double getWaitMaxMillis() {
    return millis(metrics.stats().waitTimes().maxMicros());
  }

  @Override
  public long getUpstreamRefusals() {
    return metrics.upstreamRefusals();
  }

  @Override
  public long getPauses() {
    return metrics.pauses();
  }

  @Override
  public long getHolds() {
    return metrics.holds();
  }

  @Override
  public String getCoordinatorState() {
    return coordinatorState(metrics);
  }

  @Override
  public String getCoordinator() {
    return metrics.coordinator();
  }

  @Override
  public String getRequestsLimit() {
    return metrics.limits().requests().map(String::valueOf).orElse("");
  }

  @Override
  public String getLoadLimit() {
    return metrics.limits().load().map(String::valueOf).orElse("");
  }

  @Override
  public int getConcurrencyLimit() {
    return metrics.limits().concurrency();
  }

  @Override
  public long getMaxWaitMillis() {
    return metrics.limits().maxWait().toMillis();
  }

  @Override
  public int getDefaultPriority() {
    return metrics.limits().priority();
  }

  @Override
  public String getOnCoordinatorFailure() {
    ResourceLimits l = metrics.limits();
    return String.valueOf(l.onCoordinatorFailure());
  }
}
