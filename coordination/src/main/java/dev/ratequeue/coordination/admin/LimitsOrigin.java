package dev.ratequeue.coordination.admin;

/** Where a resource's stored limits come from, which decides what replaces them. */
public enum LimitsOrigin {
  /** Set live (an operator, {@link FleetAdmin#updateLimits}): they win until reset. */
  LIVE,
  /** Seeded from a JVM's configuration: the next JVM that starts with different limits replaces them. */
  CONFIGURATION
}
