package dev.ratequeue.agent.metrics;

import dev.ratequeue.coordination.ResourceStats;
import dev.ratequeue.coordination.ResourceStats.Rejection;
import dev.ratequeue.coordination.WaitTimes;

/**
 * One metric by name, for bindings that live in the application and can only pass strings and
 * numbers through the bridge (ratequeue-micrometer). The names are the Micrometer ones without the
 * {@code ratequeue.} prefix; times are in seconds.
 */
public final class MetricValues {
  private static final double MICROS = 1e-6;

  private MetricValues() {}

  public static double of(ResourceMetrics m, String name) {
    ResourceStats s = m.stats();
    if (name.startsWith("permits.rejected:")) {
      String reason = name.substring("permits.rejected:".length());
      for (Rejection r : Rejection.values()) {
        if (r.label().equals(reason)) {
          return s.rejected(r);
        }
      }
      return Double.NaN;
    }
    switch (name) {
      case "permits.granted":
        return s.granted();
      case "permits.rejected":
        return s.rejected();
      case "calls.cancelled":
        return s.cancelled();
      case "calls.waiting":
        return s.waiting();
      case "permits.in.flight":
        return s.inFlight();
      case "upstream.refusals":
        return m.upstreamRefusals();
      case "pauses":
        return m.pauses();
      case "holds":
        return m.holds();
      case "coordinator.up":
        return s.coordinatorState() == ResourceStats.CoordinatorState.CONNECTED ? 1 : 0;
      default:
        return waits(s.waitTimes(), name);
    }
  }

  private static double waits(WaitTimes w, String name) {
    switch (name) {
      case "wait.count":
        return w.totalCount();
      case "wait.total":
        return w.totalMicros() * MICROS;
      case "wait.p50":
        return w.p50Micros() * MICROS;
      case "wait.p99":
        return w.p99Micros() * MICROS;
      case "wait.p999":
        return w.p999Micros() * MICROS;
      case "wait.max":
        return w.maxMicros() * MICROS;
      default:
        return Double.NaN;
    }
  }
}
