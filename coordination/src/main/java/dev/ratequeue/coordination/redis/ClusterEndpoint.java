package dev.ratequeue.coordination.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;

/**
 * {@code redis-cluster://} and {@code rediss-cluster://}. Every key of a resource shares one hash
 * tag, so a script call is routed whole to the node serving the tag's slot (Lettuce routes EVALSHA
 * by its first key). Grants for other JVMs are plain PUBLISH, which a cluster broadcasts to every
 * node, so one subscription on any node receives them.
 */
final class ClusterEndpoint implements RedisEndpoint {
  private final RedisClusterClient client;
  /** The one commands connection, once made. */
  private volatile StatefulRedisClusterConnection<String, String> commands;

  private ClusterEndpoint(List<RedisURI> seeds, Duration timeout, boolean queueWhileConnecting) {
    this.client = RedisClusterClient.create(seeds);
    ClusterClientOptions.Builder options = ClusterClientOptions.builder();
    RedisEndpoint.failFast(options, timeout, queueWhileConnecting);
    // A MOVED or ASK (resharding), or a node that stays unreachable (failover), refreshes the
    // topology, so calls follow the slot to its new master instead of failing until a restart.
    options.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build());
    client.setOptions(options.build());
  }

  /** Throws a RuntimeException when a seed is not a URL Lettuce can read. */
  static ClusterEndpoint create(String url, Duration timeout) {
    return create(url, timeout, false);
  }

  /** {@code queueWhileConnecting}: see {@link RedisEndpoint#failFast(ClientOptions.Builder, Duration, boolean)}. */
  static ClusterEndpoint create(String url, Duration timeout, boolean queueWhileConnecting) {
    return new ClusterEndpoint(ClusterSeeds.parse(url, timeout), timeout, queueWhileConnecting);
  }

  @Override
  public StatefulRedisPubSubConnection<String, String> connectPubSub() {
    return client.connectPubSub(StringCodec.UTF8);
  }

  @Override
  public ScriptConnection connectCommands() {
    StatefulRedisClusterConnection<String, String> connection = client.connect(StringCodec.UTF8);
    commands = connection;
    return new ClusterScriptConnection(connection);
  }

  @Override
  public void shutdown() {
    // Closed first, with its node connections: the client alone would close those twice, and Lettuce
    // logs a warning for each.
    StatefulRedisClusterConnection<String, String> c = commands;
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
