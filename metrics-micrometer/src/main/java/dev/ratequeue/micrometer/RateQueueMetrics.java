package dev.ratequeue.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Binds the RateQueue agent's metrics of this JVM to an application's Micrometer registry:
 *
 * <pre>{@code
 * RateQueueMetrics.bind(registry);              // or register new RateQueueMetrics() as a MeterBinder bean
 * }</pre>
 *
 * <p>Every meter is tagged {@code resource}; the values are the ones the agent's MBeans
 * ({@code dev.ratequeue:type=Resource,name=…}) and Prometheus endpoint show, read when the registry
 * asks. Names, and what a Prometheus registry renders them as:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>{@code ratequeue.permits.granted} (counter)</td><td>{@code ratequeue_permits_granted_total}</td></tr>
 *   <tr><td>{@code ratequeue.permits.rejected} (counter, tag {@code reason}: max-wait,
 *       coordinator-unavailable, error)</td><td>{@code ratequeue_permits_rejected_total}</td></tr>
 *   <tr><td>{@code ratequeue.calls.cancelled} (counter)</td><td>{@code ratequeue_calls_cancelled_total}</td></tr>
 *   <tr><td>{@code ratequeue.calls.waiting} (gauge)</td><td>{@code ratequeue_calls_waiting}</td></tr>
 *   <tr><td>{@code ratequeue.permits.in.flight} (gauge)</td><td>{@code ratequeue_permits_in_flight}</td></tr>
 *   <tr><td>{@code ratequeue.wait} (function timer: count and total since start)</td>
 *       <td>{@code ratequeue_wait_seconds_count}, {@code _sum}</td></tr>
 *   <tr><td>{@code ratequeue.wait.p50}, {@code .p99}, {@code .p999}, {@code .max} (gauges, seconds, over the last
 *       minute)</td><td>{@code ratequeue_wait_p50_seconds}, …</td></tr>
 *   <tr><td>{@code ratequeue.upstream.refusals}, {@code ratequeue.pauses}, {@code ratequeue.holds} (counters)</td>
 *       <td>{@code ratequeue_upstream_refusals_total}, …</td></tr>
 *   <tr><td>{@code ratequeue.coordinator.up} (gauge, 1 or 0)</td><td>{@code ratequeue_coordinator_up}</td></tr>
 * </table>
 *
 * <p><b>Without the agent</b> (no {@code -javaagent:ratequeue-agent.jar}, or one that is disabled), it binds
 * nothing and throws nothing: the same application runs with and without it. Resources are those of the
 * agent's configuration, known from the start; a registry bound before any call sees them all at zero.
 */
public final class RateQueueMetrics implements MeterBinder {
  private static final String[] REJECTION_REASONS = {"max-wait", "coordinator-unavailable", "error"};

  /** Binds the meters to {@code registry}; returns how many resources were bound (0 without the agent). */
  public static int bind(MeterRegistry registry) {
    AgentBridgeMetrics agent = AgentBridgeMetrics.find();
    return agent == null ? 0 : bind(registry, agent);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    bind(registry);
  }

  private static int bind(MeterRegistry registry, AgentBridgeMetrics agent) {
    List<String> resources = agent.resourceNames();
    for (String resource : resources) {
      bindResource(registry, agent, resource);
    }
    return resources.size();
  }

  private static void bindResource(MeterRegistry registry, AgentBridgeMetrics agent, String resource) {
    Tags tags = Tags.of("resource", resource);
    counter(registry, agent, resource, tags, "permits.granted", "Permits granted in this JVM");
    for (String reason : REJECTION_REASONS) {
      FunctionCounter.builder("ratequeue.permits.rejected", agent, a -> a.metric(resource, "permits.rejected:" + reason))
          .tags(tags).tag("reason", reason).description("Calls refused a permit").register(registry);
    }
    counter(registry, agent, resource, tags, "calls.cancelled", "Calls whose caller gave up waiting for a permit");
    gauge(registry, agent, resource, tags, "calls.waiting", null, "Calls of this JVM waiting for a permit now");
    gauge(registry, agent, resource, tags, "permits.in.flight", null, "Permits of this JVM not closed yet");
    FunctionTimer.builder("ratequeue.wait", agent, a -> (long) a.metric(resource, "wait.count"),
        a -> a.metric(resource, "wait.total"), TimeUnit.SECONDS)
        .tags(tags).description("Time from enqueue to grant").register(registry);
    for (String q : new String[] {"p50", "p99", "p999", "max"}) {
      gauge(registry, agent, resource, tags, "wait." + q, "seconds", "Wait for a permit, " + q
          + " over the last minute");
    }
    counter(registry, agent, resource, tags, "upstream.refusals", "Upstream 429s, and 503s with Retry-After");
    counter(registry, agent, resource, tags, "pauses", "Pauses this JVM asked every JVM to keep");
    counter(registry, agent, resource, tags, "holds", "Rates held back on the upstream's rate-limit headers");
    gauge(registry, agent, resource, tags, "coordinator.up", null, "1 while this JVM reaches the coordinator");
  }

  private static void counter(MeterRegistry registry, AgentBridgeMetrics agent, String resource, Tags tags,
      String name, String description) {
    FunctionCounter.builder("ratequeue." + name, agent, a -> a.metric(resource, name))
        .tags(tags).description(description).register(registry);
  }

  private static void gauge(MeterRegistry registry, AgentBridgeMetrics agent, String resource, Tags tags,
      String name, String unit, String description) {
    Gauge.builder("ratequeue." + name, agent, a -> a.metric(resource, name))
        .tags(tags).baseUnit(unit).description(description).strongReference(true).register(registry);
  }
}
