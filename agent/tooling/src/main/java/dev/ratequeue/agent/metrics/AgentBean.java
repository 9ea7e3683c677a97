package dev.ratequeue.agent.metrics;

import java.util.List;
import java.util.function.Supplier;

final class AgentBean implements AgentMXBean {
  private final String version;
  private final List<String> resources;
  private final List<String> coordinators;
  private final Supplier<String> prometheusEndpoint;

  AgentBean(String version, List<String> resources, List<String> coordinators, Supplier<String> prometheusEndpoint) {
    this.version = version;
    this.resources = resources;
    this.coordinators = coordinators;
    this.prometheusEndpoint = prometheusEndpoint;
  }

  @Override
  public String getVersion() {
    return version;
  }

  @Override
  public List<String> getResources() {
    return resources;
  }

  @Override
  public List<String> getCoordinators() {
    return coordinators;
  }

  @Override
  public String getPrometheusEndpoint() {
    return prometheusEndpoint.get();
  }
}
