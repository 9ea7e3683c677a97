package dev.ratequeue.agent.config;

import java.util.Arrays;
import java.util.List;

/** Settings of the agent as a whole. */
final class GlobalSettings {
  static final String ENABLED = "ratequeue.enabled";
  static final String COORDINATOR = "ratequeue.coordinator";
  static final String NAMESPACE = "ratequeue.namespace";
  static final String LEASE_TTL = "ratequeue.lease-ttl";
  static final String LOOKAHEAD = "ratequeue.lookahead";
  static final String COMMAND_TIMEOUT = "ratequeue.command-timeout";
  static final String RECOVERY_PROBE = "ratequeue.recovery-probe";
  static final String LOG_LEVEL = "ratequeue.log.level";
  static final String PROMETHEUS_PORT = "ratequeue.metrics.prometheus.port";
  static final String PROMETHEUS_HOST = "ratequeue.metrics.prometheus.host";
  /** {@code ratequeue.interceptors.<name>.enabled}: one client library's interceptor on or off. */
  static final String INTERCEPTORS = "ratequeue.interceptors.";

  static final List<String> NAMES = Arrays.asList(ENABLED, COORDINATOR, NAMESPACE, LEASE_TTL, LOOKAHEAD,
      COMMAND_TIMEOUT, RECOVERY_PROBE, LOG_LEVEL, PROMETHEUS_PORT, PROMETHEUS_HOST, Settings.CONFIGURATION_FILE);

  private GlobalSettings() {}
}
