package dev.ratequeue.agent.metrics;

import dev.ratequeue.agent.config.MetricsSettings;
import dev.ratequeue.agent.log.AgentLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This JVM's metrics: the MBeans, always (registered when a resource is first used, see {@link JmxBeans}),
 * and the Prometheus endpoint when {@code ratequeue.metrics.prometheus.port} is set (started with the
 * agent). Neither may stop the application: a port in use is logged once and the agent runs on.
 */
public final class AgentMetrics implements AutoCloseable {
  private final List<? extends ResourceMetrics> resources;
  private final MetricsSettings settings;
  private final String version;
  private final Executor background;
  private final JmxBeans jmx = new JmxBeans();
  private final AtomicBoolean used = new AtomicBoolean();
  private volatile boolean usedSeen;
  private volatile PrometheusEndpoint prometheus;

  /** {@code background}: where the MBeans are registered, off the thread of the call that first used a resource. */
  public AgentMetrics(List<? extends ResourceMetrics> resources, MetricsSettings settings, String version,
      Executor background) {
    this.resources = Collections.unmodifiableList(new ArrayList<>(resources));
    this.settings = settings;
    this.version = version;
    this.background = background;
  }

  /** At agent start: the Prometheus endpoint, if configured. Touches no JMX. */
  public void start() {
    if (!settings.prometheusPort().isPresent()) {
      return;
    }
    int port = settings.prometheusPort().getAsInt();
    String host = settings.prometheusHost();
    try {
      prometheus = PrometheusEndpoint.start(host, port, resources);
      AgentLog.get().info("Prometheus metrics at http://" + prometheus.address() + PrometheusEndpoint.PATH);
    } catch (IOException | RuntimeException | LinkageError e) {
      AgentLog.get().warn("Could not listen on " + host + ":" + port + " for Prometheus metrics "
          + "(ratequeue.metrics.prometheus.port = " + port + ", ratequeue.metrics.prometheus.host = " + host
          + "): " + e.getMessage() + ". The application and rate limiting run on without the endpoint; JMX still "
          + "has every metric.");
    }
  }

  /** A call reached a resource. Cheap after the first time: one volatile read. */
  public void resourceUsed() {
    if (usedSeen) {
      return;
    }
    if (used.compareAndSet(false, true)) {
      background.execute(() -> jmx.register(agentBean(), resources));
    }
    usedSeen = true;
  }

  private AgentMXBean agentBean() {
    List<String> names = new ArrayList<>();
    Set<String> coordinators = new LinkedHashSet<>();
    for (ResourceMetrics r : resources) {
      names.add(r.resource());
      coordinators.add(r.coordinator());
    }
    return new AgentBean(version, Collections.unmodifiableList(names),
        Collections.unmodifiableList(new ArrayList<>(coordinators)), () -> {
          PrometheusEndpoint p = prometheus;
          return p == null ? "" : p.address();
        });
  }

  @Override
  public void close() {
    PrometheusEndpoint p = prometheus;
    if (p != null) {
      p.close();
    }
    jmx.unregister();
  }
}
