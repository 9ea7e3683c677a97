package dev.ratequeue.coordination.redis;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * What a worker JVM tells the fleet about itself: a hash {@code <namespace>:client:<client id>}
 * with its host, pid, JVM, version, start time, the resources it uses and when it was last seen.
 * Written every second (it carries the JVM's {@link ClientTelemetry}) and set to expire after one lease TTL, so the hashes present
 * are exactly the live JVMs: one that stops, even by {@code kill -9}, drops out within a TTL.
 *
 * <p>It lives beside the resources' keys, not inside them (one JVM uses many resources, and on a
 * cluster those sit on different nodes), and is written by plain commands, not the script: it
 * decides nothing. The field names are read by {@code RedisFleetAdmin}.
 */
final class ClientRecord {
  static final String HOST = "host";
  static final String PID = "pid";
  static final String JVM = "jvm";
  static final String VERSION = "version";
  static final String STARTED = "started";
  static final String RESOURCES = "resources";
  static final String SEEN = "seen";

  private final String key;
  private final Map<String, String> fixed = new LinkedHashMap<>();

  ClientRecord(String namespace, String clientId, String version) {
    this.key = key(namespace, clientId);
    fixed.put(HOST, hostName());
    fixed.put(PID, Long.toString(ProcessHandle.current().pid()));
    fixed.put(JVM, System.getProperty("java.vm.name", "") + " " + System.getProperty("java.version", ""));
    fixed.put(VERSION, version);
    fixed.put(STARTED, Long.toString(ProcessHandle.current().info().startInstant()
        .orElse(java.time.Instant.now()).toEpochMilli()));
  }

  static String key(String namespace, String clientId) {
    return namespace + ":client:" + clientId;
  }

  /** HSET then PEXPIRE, pipelined; a failure only means the next round writes it again. */
  CompletableFuture<?> write(ScriptConnection connection, Collection<String> resources, Map<String, String> telemetry,
      Duration ttl) {
    Map<String, String> fields = new LinkedHashMap<>(fixed);
    fields.putAll(telemetry);
    fields.put(RESOURCES, String.join(",", new TreeSet<>(resources)));
    fields.put(SEEN, Long.toString(System.currentTimeMillis()));
    CompletableFuture<Long> set = connection.data().hset(key, fields).toCompletableFuture();
    CompletableFuture<Boolean> expire = connection.data().pexpire(key, ttl.toMillis()).toCompletableFuture();
    return CompletableFuture.allOf(set, expire);
  }

  CompletableFuture<?> delete(ScriptConnection connection) {
    return connection.data().del(key).toCompletableFuture();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "unknown" : env;
    }
  }
}
