package dev.ratequeue.agent.config;

import java.util.Arrays;
import java.util.List;

/** The per-resource settings, {@code ratequeue.resources.<name>.<setting>}. */
final class ResourceSettings {
  static final String MATCH = "match";
  static final String COORDINATOR = "coordinator";
  static final String RETRY_AFTER_DEFAULT = "retry-after-default";
  static final String RETRY_AFTER_MAX = "retry-after-max";
  static final String LOAD_ESTIMATOR = "load-estimator";
  static final String RECONCILE = "reconcile";

  /** Longest first where one ends with another ({@code load-burst}, {@code burst}), for env matching. */
  static final List<String> NAMES = Arrays.asList("on-coordinator-failure", "retry-after-default", "retry-after-max",
      "adaptive-increase", "adaptive-decrease", "adaptive-floor", "load-estimator", "load-burst", "reconcile", "concurrency",
      "coordinator", "max-wait", "max-hold", "requests", "priority", "adaptive", "burst", "match", "load");

  /** Read by the engine's {@code ResourceLimits.fromProperties}; the rest are the agent's. */
  static final List<String> LIMITS = Arrays.asList("requests", "load", "concurrency", "burst", "load-burst", "max-wait",
      "max-hold", "priority", "on-coordinator-failure", "adaptive", "adaptive-floor", "adaptive-decrease",
      "adaptive-increase");

  private ResourceSettings() {}
}
