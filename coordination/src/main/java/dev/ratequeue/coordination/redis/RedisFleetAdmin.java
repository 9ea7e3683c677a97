package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.ConfigurationException;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.RateQueueException;
import dev.ratequeue.coordination.RedisUrls;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.admin.FleetAdmin;
import dev.ratequeue.coordination.admin.FleetClient;
import dev.ratequeue.coordination.admin.FleetUnreachableException;
import dev.ratequeue.coordination.admin.LimitsOrigin;
import dev.ratequeue.coordination.admin.ResourceState;
import dev.ratequeue.coordination.admin.UnknownResourceException;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link FleetAdmin} on Redis: the same script as the workers, called with the ops an operator
 * needs (L, N, U, V, P, O) under a client id of its own that never heart-beats, so it is never a
 * live client and never the owner of a waiter. Resources are found by SCAN of the resource hashes
 * ({@code <namespace>:{<resource>}:res}; on a cluster Lettuce scans every master), clients by SCAN
 * of their records ({@link ClientRecord}).
 */
public final class RedisFleetAdmin implements FleetAdmin {
  private static final String RES_SUFFIX = "}:res";

  private final RedisEndpoint endpoint;
  private final ScriptConnection connection;
  private final GrantScript script = GrantScript.load();
  private final CoordinatorOptions options;
  private final String description;
  private final String adminId = "admin-" + ProcessHandle.current().pid() + "-"
      + Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
  private long ids;

  private RedisFleetAdmin(RedisEndpoint endpoint, ScriptConnection connection, CoordinatorOptions options,
      String description) {
    this.endpoint = endpoint;
    this.connection = connection;
    this.options = options;
    this.description = description;
  }

  /** Connects now; see {@link FleetAdmin#connect}. */
  public static RedisFleetAdmin connect(String url, CoordinatorOptions options) {
    String masked = RedisUrls.mask(url);
    String expected = "local, or a Redis URL such as redis://[user:password@]host:port[/db], rediss://host:port, "
        + "redis-sentinel://host:port[,host:port]#master or redis-cluster://host:port[,host:port]";
    if (!RedisUrls.wellFormed(url)) {
      throw new ConfigurationException("ratequeue.coordinator", masked, expected);
    }
    RedisEndpoint endpoint;
    try {
      endpoint = RedisUrls.isCluster(url) ? ClusterEndpoint.create(url, options.commandTimeout(), true)
          : StandaloneEndpoint.create(url, options.commandTimeout(), true);
    } catch (RuntimeException e) {
      throw new ConfigurationException("ratequeue.coordinator", masked, expected);
    }
    try {
      return new RedisFleetAdmin(endpoint, endpoint.connectCommands(), options, masked);
    } catch (RuntimeException e) {
      endpoint.shutdown();
      throw new FleetUnreachableException(masked, reason(e), e);
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public List<String> resources() {
    String prefix = options.namespace() + ":{";
    TreeSet<String> names = new TreeSet<>();
    for (String key : scan(globEscape(prefix) + "*" + RES_SUFFIX)) {
      if (key.startsWith(prefix) && key.endsWith(RES_SUFFIX)) {
        names.add(key.substring(prefix.length(), key.length() - RES_SUFFIX.length()));
      }
    }
    return new ArrayList<>(names);
  }

  @Override
  public Optional<ResourceState> resource(String name) {
    List<Object> reply = run(name, Op.of(Op.READ_LIMITS, nextId()), Op.of(Op.SNAPSHOT, nextId()));
    ResourceLimits limits = null;
    LimitsOrigin origin = LimitsOrigin.CONFIGURATION;
    String snapshot = null;
    for (int i = 2; i + 3 < reply.size(); i += 4) {
      String kind = String.valueOf(reply.get(i));
      if (kind.equals("M")) {
        return Optional.empty();
      } else if (kind.equals("L")) {
        limits = LimitsCodec.decode(name, String.valueOf(reply.get(i + 2)));
        origin = "live".equals(String.valueOf(reply.get(i + 3))) ? LimitsOrigin.LIVE : LimitsOrigin.CONFIGURATION;
      } else if (kind.equals("N")) {
        snapshot = String.valueOf(reply.get(i + 2));
      }
    }
    if (limits == null || snapshot == null) {
      return Optional.empty();
    }
    return Optional.of(new ResourceState(limits, origin, SnapshotCodec.decode(name, snapshot, limits)));
  }

  /** Every change is checked against a resource someone seeded: an update alone would create one. */
  private void requireKnown(String name) {
    if (resource(name).isEmpty()) {
      throw new UnknownResourceException(name, description);
    }
  }

  @Override
  public void updateLimits(ResourceLimits limits) {
    requireKnown(limits.name());
    run(limits.name(), Op.of(Op.UPDATE, nextId(), LimitsCodec.encode(limits), ""));
  }

  @Override
  public void resetLimits(String resource) {
    requireKnown(resource);
    run(resource, Op.of(Op.RESET, nextId()));
  }

  @Override
  public void pause(String resource, Duration duration) {
    requireKnown(resource);
    run(resource, Op.of(Op.PAUSE, nextId(), LimitsCodec.micros(duration), ""));
  }

  @Override
  public void resume(String resource) {
    requireKnown(resource);
    run(resource, Op.of(Op.RESUME, nextId()));
  }

  @Override
  public List<FleetClient> clients() {
    String prefix = ClientRecord.key(options.namespace(), "");
    List<FleetClient> clients = new ArrayList<>();
    for (String key : scan(globEscape(prefix) + "*")) {
      Map<String, String> f = await(connection.data().hgetall(key));
      if (f == null || f.isEmpty()) {
        continue; // expired between the scan and now
      }
      String resources = f.getOrDefault(ClientRecord.RESOURCES, "");
      clients.add(new FleetClient(key.substring(prefix.length()), f.getOrDefault(ClientRecord.HOST, ""),
          parseLong(f.get(ClientRecord.PID)), f.getOrDefault(ClientRecord.JVM, ""),
          f.getOrDefault(ClientRecord.VERSION, ""), Instant.ofEpochMilli(parseLong(f.get(ClientRecord.STARTED))),
          Instant.ofEpochMilli(parseLong(f.get(ClientRecord.SEEN))),
          resources.isEmpty() ? Collections.emptyList() : Arrays.asList(resources.split(",")),
          ClientTelemetry.read(f)));
    }
    clients.sort((a, b) -> a.id().compareTo(b.id()));
    return clients;
  }

  private List<String> scan(String match) {
    List<String> keys = new ArrayList<>();
    ScanArgs args = ScanArgs.Builder.matches(match).limit(1000);
    KeyScanCursor<String> cursor = await(connection.data().scan(args));
    keys.addAll(cursor.getKeys());
    while (!cursor.isFinished()) {
      cursor = await(connection.data().scan(cursor, args));
      keys.addAll(cursor.getKeys());
    }
    return keys;
  }

  /** SCAN's MATCH is a glob: a namespace's own characters must match only themselves. */
  static String globEscape(String text) {
    StringBuilder s = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
        s.append('\\');
      }
      s.append(c);
    }
    return s.toString();
  }

  private List<Object> run(String resource, Op... ops) {
    String prefix = options.namespace() + ":{" + resource + "}:";
    String[] keys = {prefix + "res", prefix + "q", prefix + "w", prefix + "l", prefix + "j", prefix + "qs"};
    String[] args = new String[5 + ops.length * 4];
    args[0] = adminId;
    args[1] = Long.toString(LimitsCodec.micros(options.leaseTtl()));
    args[2] = Long.toString(LimitsCodec.micros(options.lookahead()));
    args[3] = options.namespace() + ":client:";
    args[4] = resource;
    int i = 5;
    for (Op op : ops) {
      args[i++] = op.code;
      args[i++] = op.id;
      args[i++] = op.a;
      args[i++] = op.b;
    }
    return await(script.run(connection, keys, args));
  }

  private <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(options.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RateQueueException("interrupted while waiting for " + description, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RedisCommandExecutionException) {
        // An answer, not an outage: NOPERM from an ACL that lacks a command, say.
        throw new RateQueueException("Coordinator " + description + " refused a command: " + reason(e.getCause()),
            e.getCause());
      }
      throw new FleetUnreachableException(description, reason(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new FleetUnreachableException(description, "no answer within "
          + dev.ratequeue.coordination.Durations.format(options.commandTimeout().multipliedBy(2)), e);
    }
  }

  /** The innermost message ("Connection refused", "WRONGPASS …"): what tells an operator what to fix. */
  private static String reason(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private String nextId() {
    return adminId + "." + Long.toString(++ids, 36);
  }

  private static long parseLong(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    endpoint.shutdown();
  }
}
