package dev.ratequeue.micrometer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collections;
import java.util.List;

/**
 * The agent's metrics as this application's class loader can see them: through the bridge the agent
 * defines in the bootstrap class loader, found by name and called by method handle, so that nothing
 * here links against the agent. Without the agent every answer is empty.
 */
final class AgentBridgeMetrics {
  private static final String BRIDGE = "dev.ratequeue.bootstrap.RateQueueBridge";

  private final MethodHandle resourceNames;
  private final MethodHandle metric;

  private AgentBridgeMetrics(MethodHandle resourceNames, MethodHandle metric) {
    this.resourceNames = resourceNames;
    this.metric = metric;
  }

  /** The bridge of the agent attached to this JVM, or {@code null} when there is none (or an older one). */
  static AgentBridgeMetrics find() {
    try {
      Class<?> bridge = Class.forName(BRIDGE, true, null);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      return new AgentBridgeMetrics(
          lookup.findStatic(bridge, "resourceNames", MethodType.methodType(List.class)),
          lookup.findStatic(bridge, "metric", MethodType.methodType(double.class, String.class, String.class)));
    } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  List<String> resourceNames() {
    try {
      return (List<String>) resourceNames.invokeExact();
    } catch (Throwable t) {
      return Collections.emptyList();
    }
  }

  double metric(String resource, String name) {
    try {
      return (double) metric.invokeExact(resource, name);
    } catch (Throwable t) {
      return Double.NaN;
    }
  }
}
