package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.ConfigurationException;
import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.Durations;
import dev.ratequeue.coordination.RateQueueException;
import dev.ratequeue.coordination.RedisUrls;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.internal.EngineLog;
import dev.ratequeue.coordination.internal.RateQueueThreads;
import dev.ratequeue.coordination.local.LocalCoordinator;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Coordinates every JVM that uses the same Redis (or Redis Cluster) and namespace. It owns one
 * Lettuce client ({@link RedisEndpoint}) with two connections (commands, and pub/sub for grants
 * made by other JVMs), the script, a timer and a small completion pool; each resource is a
 * {@link RedisResourceLimiter}.
 *
 * <p>Commands fail fast while Redis is unreachable (Lettuce's default would queue and replay them
 * on reconnect, which turns an outage into a hang and then a burst); each resource then follows
 * its failure policy until a probe finds Redis back. Lettuce reconnects established connections
 * by itself; a first connection that fails is retried here, so an application starts normally
 * while Redis is down.
 */
public final class RedisCoordinator implements Coordinator {

  static final Duration FIRST_CONNECTION_PATIENCE = Duration.ofSeconds(30);

  private final CoordinatorOptions options;
  private final String description;
  private final String clientId = newClientId();
  private final String channelPrefix;
  private final RedisEndpoint endpoint;
  private final GrantScript script = GrantScript.load();
  private final ScheduledExecutorService timer = RateQueueThreads.timer("ratequeue-redis-timer");
  /** Connecting blocks for up to the connect timeout: never on the timer, which fires deadlines. */
  private final ExecutorService connector =
      Executors.newSingleThreadExecutor(RateQueueThreads.daemon("ratequeue-redis-connect"));
  private final ThreadPoolExecutor completions = RateQueueThreads.completions("ratequeue-redis-grants");
  private final LocalCoordinator fallback;
  private final ConcurrentHashMap<String, RedisResourceLimiter> limiters = new ConcurrentHashMap<>();
  private CompletableFuture<ScriptConnection> attempt;
  private final AtomicBoolean connectFailureLogged = new AtomicBoolean();
  private volatile ScriptConnection connection;
  /** False until the first connection is made: a JVM starting up gets more patience (see call()). */
  private volatile boolean everConnected;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile boolean closed;
  /** Made on the connector thread: the host name lookup may be slow. */
  private volatile ClientRecord clientRecord;
  private final AtomicBoolean publishing = new AtomicBoolean();

  private RedisCoordinator(RedisEndpoint endpoint, String description, CoordinatorOptions options) {
    this.options = options;
    this.endpoint = endpoint;
    this.description = description;
    this.channelPrefix = options.namespace() + ":client:";
    this.fallback = new LocalCoordinator(options);
    connect();
  }

  /** Parses {@code url} and connects; an unreachable Redis is not an error here, a malformed URL is. */
  public static RedisCoordinator connect(String url, CoordinatorOptions options) {
    String expected = "a Redis URL such as redis://[user:password@]host:port[/db], rediss://host:port, "
        + "redis-sentinel://host:port[,host:port]#master or redis-cluster://host:port[,host:port]";
    if (!RedisUrls.wellFormed(url)) {
      throw new ConfigurationException("ratequeue.coordinator", RedisUrls.mask(url), expected);
    }
    RedisEndpoint endpoint;
    try {
      endpoint = RedisUrls.isCluster(url) ? ClusterEndpoint.create(url, options.commandTimeout())
          : StandaloneEndpoint.create(url, options.commandTimeout());
    } catch (RuntimeException e) {
      throw new ConfigurationException("ratequeue.coordinator", RedisUrls.mask(url), expected);
    }
    return new RedisCoordinator(endpoint, RedisUrls.mask(url), options);
  }

  /**
   * The connection, or the attempt to make one. Calls made while it is under way wait for it (no
   * thread is held): a connection in progress is not an outage. A failed attempt is forgotten, so
   * the next call (at most one per recovery probe while a resource is degraded) tries again.
   */
  private synchronized CompletableFuture<ScriptConnection> connect() {
    ScriptConnection c = connection;
    if (c != null) {
      return CompletableFuture.completedFuture(c);
    }
    if (attempt != null) {
      return attempt;
    }
    CompletableFuture<ScriptConnection> next = CompletableFuture.supplyAsync(() -> {
      StatefulRedisPubSubConnection<String, String> messages = endpoint.connectPubSub();
      try {
        messages.addListener(new RedisPubSubAdapter<String, String>() {
          @Override
          public void message(String channel, String message) {
            onMessage(message);
          }
        });
        messages.sync().subscribe(channelPrefix + clientId);
        ScriptConnection commands = endpoint.connectCommands();
        // Loaded here, off every caller's path: a cold JVM's first acquire is then one round trip.
        script.load(commands);
        pubSub = messages;
        connection = commands;
        everConnected = true;
        if (publishing.get()) {
          writeClientRecord();
        }
        return commands;
      } catch (RuntimeException e) {
        messages.closeAsync();
        throw e;
      }
    }, connector);
    attempt = next;
    next.whenComplete((c2, failure) -> {
      synchronized (this) {
        attempt = null;
      }
      if (failure == null && connectFailureLogged.getAndSet(false)) {
        EngineLog.log(EngineLog.Level.INFO, "RateQueue coordinator {0} is reachable again", description);
      } else if (failure != null && !closed && !connectFailureLogged.getAndSet(true)) {
        EngineLog.log(EngineLog.Level.WARNING, "RateQueue coordinator {0} is unreachable ({1}); resources follow their "
            + "on-coordinator-failure policy until it is back", description, rootCause(failure));
      }
    });
    return next;
  }

  /**
   * The innermost message (WRONGPASS, a certificate error, connection refused) is what tells a user
   * what to fix; Lettuce wraps it once or twice. It never contains a password.
   */
  static String rootCause(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** One script call on the shared connection; fails at once (no queueing) while disconnected. */
  CompletableFuture<List<Object>> call(String[] keys, String[] args) {
    ScriptConnection c = connection;
    if (c != null) {
      return script.run(c, keys, args);
    }
    if (closed) {
      return CompletableFuture.failedFuture(new RateQueueException("coordinator is closed"));
    }
    // A connection that is being made (a cold JVM loads Netty, TLS, the script) gets five command
    // timeouts; one that cannot be made fails sooner, on the socket's own connect timeout. The very
    // first one gets at least FIRST_CONNECTION_PATIENCE: several JVMs starting together on a small
    // host can take that long just loading classes, and falling back then would give each of them,
    // knowing of no other JVM yet, the whole limit.
    Duration patience = options.commandTimeout().multipliedBy(5);
    if (!everConnected && patience.compareTo(FIRST_CONNECTION_PATIENCE) < 0) {
      patience = FIRST_CONNECTION_PATIENCE;
    }
    CompletableFuture<List<Object>> call = new CompletableFuture<>();
    connect().thenCompose(ready -> script.run(ready, keys, args)).whenComplete((reply, failure) -> {
      if (failure != null) {
        call.completeExceptionally(failure);
      } else {
        call.complete(reply);
      }
    });
    Duration waited = patience;
    timer.schedule(() -> call.completeExceptionally(new RateQueueException(
        "no connection to " + description + " after " + Durations.format(waited))), patience.toNanos(),
        TimeUnit.NANOSECONDS);
    return call;
  }

  private void onMessage(String message) {
    String[] tokens = message.split(" ");
    RedisResourceLimiter limiter = tokens.length > 0 ? limiters.get(tokens[0]) : null;
    if (limiter != null) {
      try {
        limiter.onMessage(tokens);
      } catch (RuntimeException e) {
        logUnexpected(tokens[0], e);
      }
    }
  }

  @Override
  public ResourceLimiter limiter(ResourceLimits limits) {
    if (closed) {
      throw new RateQueueException("coordinator is closed");
    }
    RedisResourceLimiter limiter = limiters.computeIfAbsent(limits.name(), n -> new RedisResourceLimiter(this, limits));
    publishClientRecord();
    return limiter;
  }

  /**
   * From the first limiter on, this JVM keeps its {@link ClientRecord} in Redis, every second (and at
   * once when a resource is added). Off the timer thread, which fires deadlines.
   */
  private void publishClientRecord() {
    if (publishing.compareAndSet(false, true)) {
      // Every second, for the telemetry a dashboard draws; never less often than the heartbeats.
      long beat = Math.min(TimeUnit.SECONDS.toNanos(1), options.leaseTtl().toNanos() / 3);
      timer.scheduleWithFixedDelay(() -> runOnConnector(this::writeClientRecord), beat, beat, TimeUnit.NANOSECONDS);
    }
    runOnConnector(this::writeClientRecord);
  }

  private void runOnConnector(Runnable task) {
    try {
      connector.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void writeClientRecord() {
    ScriptConnection c = connection;
    if (c == null || closed) {
      return; // the next round, once connected
    }
    try {
      if (clientRecord == null) {
        clientRecord = new ClientRecord(options.namespace(), clientId, options.clientVersion());
      }
      clientRecord.write(c, limiters.keySet(), ClientTelemetry.fields(limiters.values()), options.leaseTtl());
    } catch (RuntimeException e) {
      // Rejected while disconnected: the resources report the outage; the next round writes it.
    }
  }

  @Override
  public String describe() {
    return description;
  }

  void lost(RedisResourceLimiter limiter, Throwable cause) {
    if (closed) {
      return; // our own shutdown, not an outage
    }
    EngineLog.log(EngineLog.Level.WARNING, "RateQueue resource ''{0}'': coordinator {1} failed ({2}); on-coordinator-failure = {3} "
        + "applies until it is back", limiter.resource(), description, rootCause(cause),
        limiter.limits().onCoordinatorFailure());
  }

  void recovered(RedisResourceLimiter limiter) {
    if (limiter.recoveredNow()) {
      EngineLog.log(EngineLog.Level.INFO, "RateQueue resource ''{0}'': coordinator {1} is back", limiter.resource(), description);
    }
  }

  /**
   * The limits read from Redis differ from the ones this JVM decided with: set live, by another JVM's
   * seed, or already stored when this JVM started. One line each time they change, not per call.
   */
  void limitsChanged(ResourceLimits before, ResourceLimits now) {
    EngineLog.log(EngineLog.Level.INFO, "RateQueue resource ''{0}'': limits in coordinator {1} are now {2} (were {3})",
        now.name(), description, now, before);
  }

  boolean closed() {
    return closed;
  }

  void logUnexpected(String resource, RuntimeException e) {
    if (closed) {
      return;
    }
    EngineLog.log(EngineLog.Level.ERROR, "RateQueue resource '" + resource + "': unexpected error (please report it)", e);
  }

  CoordinatorOptions options() {
    return options;
  }

  String clientId() {
    return clientId;
  }

  String channelPrefix() {
    return channelPrefix;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  ThreadPoolExecutor completions() {
    return completions;
  }

  LocalCoordinator fallback() {
    return fallback;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ScriptConnection c = connection;
    ClientRecord record = clientRecord;
    if (c != null && record != null) {
      try {
        // Gone from the list of clients now rather than one lease TTL later.
        record.delete(c).get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // It expires by itself.
      }
    }
    limiters.values().forEach(RedisResourceLimiter::close);
    fallback.close();
    timer.shutdownNow();
    connector.shutdownNow();
    completions.shutdown();
    endpoint.shutdown();
  }

  /** Short, unique per JVM, and free of '.', which separates it from the call counter in waiter ids. */
  private static String newClientId() {
    SecureRandom random = new SecureRandom();
    return ProcessHandle.current().pid() + "-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
  }
}
