package dev.ratequeue.coordination;

import java.time.Duration;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** One resource as the coordinator sees it right now, across every JVM it coordinates. */
public final class ResourceSnapshot {
  private final String resource;
  private final SortedMap<Integer, Long> queueDepthByPriority;
  private final long inFlight;
  private final double grantedPerSecond;
  private final double loadPerSecond;
  private final double utilization;
  private final Duration pausedFor;
  private final int liveClients;
  private final double rateFactor;
  private final java.time.Instant takenAt = java.time.Instant.now();

  public ResourceSnapshot(String resource, SortedMap<Integer, Long> queueDepthByPriority, long inFlight,
      double grantedPerSecond, double loadPerSecond, double utilization, Duration pausedFor, int liveClients) {
    this(resource, queueDepthByPriority, inFlight, grantedPerSecond, loadPerSecond, utilization, pausedFor,
        liveClients, 1.0);
  }

  public ResourceSnapshot(String resource, SortedMap<Integer, Long> queueDepthByPriority, long inFlight,
      double grantedPerSecond, double loadPerSecond, double utilization, Duration pausedFor, int liveClients,
      double rateFactor) {
    this.rateFactor = rateFactor;
    this.resource = resource;
    TreeMap<Integer, Long> byPriority = new TreeMap<>(Collections.reverseOrder());
    byPriority.putAll(queueDepthByPriority);
    this.queueDepthByPriority = Collections.unmodifiableSortedMap(byPriority);
    this.inFlight = inFlight;
    this.grantedPerSecond = grantedPerSecond;
    this.loadPerSecond = loadPerSecond;
    this.utilization = utilization;
    this.pausedFor = pausedFor;
    this.liveClients = liveClients;
  }

  public String resource() {
    return resource;
  }

  /**
   * The share of the configured rates the fleet runs at: below 1 only for an {@link AdaptiveRate}
   * after the upstream refused calls.
   */
  public double rateFactor() {
    return rateFactor;
  }

  /** Waiting calls per priority, highest priority (served first) first. */
  public SortedMap<Integer, Long> queueDepthByPriority() {
    return queueDepthByPriority;
  }

  public long queueDepth() {
    return queueDepthByPriority.values().stream().mapToLong(Long::longValue).sum();
  }

  public long inFlight() {
    return inFlight;
  }

  /** Permits granted during the last whole second. */
  public double grantedPerSecond() {
    return grantedPerSecond;
  }

  /** Load granted (and reconciled) during the last whole second. */
  public double loadPerSecond() {
    return loadPerSecond;
  }

  /** The most used of the resource's limits, as a fraction of that limit (1.0 = at the limit). */
  public double utilization() {
    return utilization;
  }

  /** How much longer the resource stays paused; zero when it is not paused. */
  public Duration pausedFor() {
    return pausedFor;
  }

  /** When the pause ends, by this JVM's clock (the coordinator counts it down on its own clock). */
  public java.util.Optional<java.time.Instant> pausedUntil() {
    return paused() ? java.util.Optional.of(takenAt.plus(pausedFor)) : java.util.Optional.empty();
  }

  public boolean paused() {
    return !pausedFor.isZero();
  }

  /** JVMs currently heart-beating for this resource (1 for the local coordinator). */
  public int liveClients() {
    return liveClients;
  }

  @Override
  public String toString() {
    return resource + " {queue " + queueDepthByPriority + ", in flight " + inFlight + ", granted/s "
        + grantedPerSecond + ", load/s " + loadPerSecond + ", utilization " + utilization + ", paused for "
        + Durations.format(pausedFor) + ", clients " + liveClients + "}";
  }
}
