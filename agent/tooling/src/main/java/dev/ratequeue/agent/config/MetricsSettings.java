package dev.ratequeue.agent.config;

import java.util.OptionalInt;

/**
 * Where this JVM's metrics go besides JMX, which is always on: an optional Prometheus endpoint,
 * {@code ratequeue.metrics.prometheus.port}, on loopback unless {@code ratequeue.metrics.prometheus.host}
 * says otherwise (the endpoint has no authentication, so exposing it is a deliberate choice).
 */
public final class MetricsSettings {
  public static final String DEFAULT_PROMETHEUS_HOST = "127.0.0.1";

  private final OptionalInt prometheusPort;
  private final String prometheusHost;

  private MetricsSettings(OptionalInt prometheusPort, String prometheusHost) {
    this.prometheusPort = prometheusPort;
    this.prometheusHost = prometheusHost;
  }

  static MetricsSettings from(Settings settings, ConfigurationProblems problems) {
    OptionalInt port = OptionalInt.empty();
    String portText = settings.get(GlobalSettings.PROMETHEUS_PORT);
    if (portText != null) {
      try {
        int p = Integer.parseInt(portText.trim());
        if (p < 1 || p > 65535) {
          throw new NumberFormatException();
        }
        port = OptionalInt.of(p);
      } catch (NumberFormatException e) {
        problems.error(GlobalSettings.PROMETHEUS_PORT, portText, "a TCP port, a whole number from 1 to 65535");
      }
    }
    String host = settings.get(GlobalSettings.PROMETHEUS_HOST, DEFAULT_PROMETHEUS_HOST).trim();
    if (host.isEmpty() || host.contains("/") || host.contains(" ")) {
      problems.error(GlobalSettings.PROMETHEUS_HOST, host, "a host name or IP address to listen on, e.g. 127.0.0.1 "
          + "(the default) or 0.0.0.0 for every interface");
      host = DEFAULT_PROMETHEUS_HOST;
    }
    return new MetricsSettings(port, host);
  }

  /** The port of the {@code /metrics} endpoint; empty when there is none. */
  public OptionalInt prometheusPort() {
    return prometheusPort;
  }

  public String prometheusHost() {
    return prometheusHost;
  }
}
