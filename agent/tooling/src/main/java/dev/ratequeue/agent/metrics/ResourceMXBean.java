package dev.ratequeue.agent.metrics;

/**
 * {@code dev.ratequeue:type=Resource,name=<resource>}: one resource's calls in this JVM. Counters are
 * cumulative since the agent started; wait times cover the last minute.
 */
public interface ResourceMXBean {
  String getResource();

  /** Calls of this JVM waiting for a permit now. */
  long getWaiting();

  /** Permits of this JVM granted and not closed yet. */
  long getInFlight();

  long getGranted();

  /** Calls refused a permit: max-wait exceeded, or the coordinator down with {@code on-coordinator-failure = fail}. */
  long getRejected();

  long getRejectedMaxWait();

  long getRejectedCoordinatorUnavailable();

  /** Calls whose caller gave up waiting (cancelled, interrupted). */
  long getCancelled();

  double getWaitP50Millis();

  double getWaitP99Millis();

  double getWaitP999Millis();

  double getWaitMaxMillis();

  /** Upstream responses that refused a call: 429, or 503 with Retry-After. */
  long getUpstreamRefusals();

  long getPauses();

  long getHolds();

  /** {@code connected}, or {@code degraded (on-coordinator-failure = local)} while the coordinator is unreachable. */
  String getCoordinatorState();

  /** The coordinator's URL, without credentials. */
  String getCoordinator();

  /** {@code N/period}, or empty when the resource has no such limit. */
  String getRequestsLimit();

  String getLoadLimit();

  /** 0 when the resource has no concurrency limit. */
  int getConcurrencyLimit();

  long getMaxWaitMillis();

  int getDefaultPriority();

  String getOnCoordinatorFailure();
}
