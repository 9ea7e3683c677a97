package dev.ratequeue.coordination.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One live worker JVM, as it describes itself to the coordinator. */
public final class FleetClient {
  private final String id;
  private final String host;
  private final long pid;
  private final String jvm;
  private final String version;
  private final Instant started;
  private final Instant lastSeen;
  private final List<String> resources;
  private final Map<String, ResourceTelemetry> telemetry;

  public FleetClient(String id, String host, long pid, String jvm, String version, Instant started, Instant lastSeen,
      List<String> resources) {
    this(id, host, pid, jvm, version, started, lastSeen, resources, Map.of());
  }

  public FleetClient(String id, String host, long pid, String jvm, String version, Instant started, Instant lastSeen,
      List<String> resources, Map<String, ResourceTelemetry> telemetry) {
    this.telemetry = Map.copyOf(telemetry);
    this.id = id;
    this.host = host;
    this.pid = pid;
    this.jvm = jvm;
    this.version = version;
    this.started = started;
    this.lastSeen = lastSeen;
    this.resources = List.copyOf(resources);
  }

  /** What this JVM last reported of each of its resources (see {@link ResourceTelemetry}). */
  public Map<String, ResourceTelemetry> telemetry() {
    return telemetry;
  }

  /** The coordinator's id of this JVM (pid and a random part). */
  public String id() {
    return id;
  }

  public String host() {
    return host;
  }

  public long pid() {
    return pid;
  }

  /** JVM name and Java version. */
  public String jvm() {
    return jvm;
  }

  /** What it runs, e.g. the agent's version; empty when it did not say. */
  public String version() {
    return version;
  }

  public Instant started() {
    return started;
  }

  /** Its last heartbeat round, by its own clock. */
  public Instant lastSeen() {
    return lastSeen;
  }

  /** The resources it uses, sorted. */
  public List<String> resources() {
    return resources;
  }
}
