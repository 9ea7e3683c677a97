package dev.ratequeue.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ratequeue.coordination.Durations;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceSnapshot;
import dev.ratequeue.coordination.admin.FleetClient;
import dev.ratequeue.coordination.admin.LimitsOrigin;
import dev.ratequeue.coordination.admin.ResourceState;
import dev.ratequeue.coordination.admin.ResourceTelemetry;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --json} output: one JSON object per command, its shape documented in the README
 * ("Watch and steer") and kept stable for scripts. Fields are only ever added. Rates are strings in
 * the properties file's form ({@code "450/1m"}), with their per-second value beside them; a limit
 * that is not set is {@code null}; times are ISO-8601 UTC.
 */
final class JsonViews {
  private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private JsonViews() {}

  static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode status(FleetStatus status) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("coordinator", status.coordinator);
    root.put("namespace", status.namespace);
    root.put("takenAt", status.takenAt.toString());
    root.put("liveClients", status.clients.size());
    ArrayNode resources = root.putArray("resources");
    for (ResourceState r : status.resources) {
      ObjectNode node = resource(r);
      telemetry(node, ResourceTelemetry.ofFleet(r.resource(), status.clients));
      resources.add(node);
    }
    return root;
  }

  static ObjectNode resource(ResourceState r) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("name", r.resource());
    node.put("origin", origin(r.origin()));
    node.set("limits", limits(r.limits()));
    ResourceSnapshot s = r.snapshot();
    node.put("inFlight", s.inFlight());
    node.put("queueDepth", s.queueDepth());
    ObjectNode byPriority = node.putObject("queueByPriority");
    s.queueDepthByPriority().forEach((priority, count) -> byPriority.put(Integer.toString(priority), count));
    node.put("grantedPerSecond", s.grantedPerSecond());
    node.put("loadPerSecond", s.loadPerSecond());
    node.put("utilization", s.utilization());
    node.put("rateFactor", s.rateFactor());
    node.put("paused", s.paused());
    node.put("pausedForMillis", s.pausedFor().toMillis());
    if (s.paused()) {
      node.put("pausedUntil", s.pausedUntil().map(Instant::toString).orElse(null));
    } else {
      node.putNull("pausedUntil");
    }
    node.put("liveClients", s.liveClients());
    return node;
  }

  /** What the live JVMs report of a resource, added up (see {@link ResourceTelemetry}). */
  static void telemetry(ObjectNode node, ResourceTelemetry t) {
    node.put("upstreamRefusals", t.upstreamRefusals());
    node.put("pauses", t.pauses());
    node.put("waitCount", t.waitCount());
    node.put("waitP50Millis", t.waitMillisAt(50));
    node.put("waitP99Millis", t.waitMillisAt(99));
  }

  static ObjectNode limits(ResourceLimits l) {
    ObjectNode node = MAPPER.createObjectNode();
    if (l.requests().isPresent()) {
      node.put("requests", l.requests().get().toString());
      node.put("requestsPerSecond", l.requests().get().perSecond());
    } else {
      node.putNull("requests");
      node.putNull("requestsPerSecond");
    }
    node.put("burst", l.burst());
    if (l.load().isPresent()) {
      node.put("load", l.load().get().toString());
      node.put("loadPerSecond", l.load().get().perSecond());
    } else {
      node.putNull("load");
      node.putNull("loadPerSecond");
    }
    node.put("loadBurst", l.loadBurst());
    if (l.concurrency() > 0) {
      node.put("concurrency", l.concurrency());
    } else {
      node.putNull("concurrency");
    }
    node.put("maxWait", Durations.format(l.maxWait()));
    node.put("maxHold", Durations.format(l.maxHold()));
    node.put("priority", l.priority());
    node.put("onCoordinatorFailure", l.onCoordinatorFailure().toString());
    if (l.adaptive().isPresent()) {
      ObjectNode a = node.putObject("adaptive");
      a.put("floor", l.adaptive().get().floor());
      a.put("decrease", l.adaptive().get().decrease());
      a.put("increasePerSecond", l.adaptive().get().increasePerSecond());
    } else {
      node.putNull("adaptive");
    }
    return node;
  }

  static ObjectNode clients(String coordinator, String namespace, List<FleetClient> clients) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("coordinator", coordinator);
    root.put("namespace", namespace);
    ArrayNode list = root.putArray("clients");
    for (FleetClient c : clients) {
      ObjectNode node = list.addObject();
      node.put("id", c.id());
      node.put("host", c.host());
      node.put("pid", c.pid());
      node.put("jvm", c.jvm());
      node.put("version", c.version());
      node.put("started", c.started().toString());
      node.put("lastSeen", c.lastSeen().toString());
      ArrayNode resources = node.putArray("resources");
      c.resources().forEach(resources::add);
    }
    return root;
  }

  /** What {@code set}, {@code pause} and {@code resume} did: the action and the resource as it stands after it. */
  static ObjectNode action(String action, ResourceState after) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("action", action);
    root.set("resource", resource(after));
    return root;
  }

  private static String origin(LimitsOrigin origin) {
    return origin.name().toLowerCase(Locale.ROOT);
  }
}
