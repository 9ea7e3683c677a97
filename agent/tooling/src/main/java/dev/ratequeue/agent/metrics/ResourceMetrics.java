package dev.ratequeue.agent.metrics;

import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceStats;

/**
 * One resource as this JVM's metrics show it: what the engine counted for its calls ({@link #stats()})
 * and what the agent saw the upstream answer. Every value is read locally; none asks the coordinator.
 */
public interface ResourceMetrics {
  String resource();

  /** The engine's counts; all zero until the resource's limiter exists. */
  ResourceStats stats();

  /** Responses that refused a call for being over the limit: 429s, and 503s with Retry-After. */
  long upstreamRefusals();

  /** Pauses of the whole resource this JVM asked for (a 429's Retry-After, or headers saying nothing is left). */
  long pauses();

  /** Times this JVM held a rate back because the upstream's rate-limit headers said less was left than needed. */
  long holds();

  /** The limits in force, as last read from the coordinator (the configured ones before that). */
  ResourceLimits limits();

  /** The coordinator's URL, without credentials. */
  String coordinator();
}
