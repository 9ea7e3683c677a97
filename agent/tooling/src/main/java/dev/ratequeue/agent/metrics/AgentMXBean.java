package dev.ratequeue.agent.metrics;

import java.util.List;

/** {@code dev.ratequeue:type=Agent}: the agent itself. */
public interface AgentMXBean {
  String getVersion();

  /** The configured resources; each has its own {@code dev.ratequeue:type=Resource,name=…}. */
  List<String> getResources();

  /** Every coordinator URL in use, without credentials. */
  List<String> getCoordinators();

  /** {@code host:port} of the Prometheus endpoint, or empty when there is none. */
  String getPrometheusEndpoint();
}
