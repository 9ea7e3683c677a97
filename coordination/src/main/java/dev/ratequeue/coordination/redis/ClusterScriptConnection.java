package dev.ratequeue.coordination.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The commands connection of a {@link ClusterEndpoint}; Lettuce routes each EVALSHA by its first key. */
final class ClusterScriptConnection implements ScriptConnection {
  private final StatefulRedisClusterConnection<String, String> connection;

  ClusterScriptConnection(StatefulRedisClusterConnection<String, String> connection) {
    this.connection = connection;
  }

  @Override
  public RedisScriptingAsyncCommands<String, String> commands() {
    return connection.async();
  }

  @Override
  public io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<String, String> data() {
    return connection.async();
  }

  @Override
  public void preload(String script) {
    // Lettuce sends a cluster connection's SCRIPT LOAD to every node it knows, replicas too; it
    // fails if one of them does, which only leaves that node to a NOSCRIPT later.
    connection.sync().scriptLoad(script);
  }

  /**
   * Every node that is not known to be down, rather than the one Lettuce's topology gives the key's
   * slot: a NOSCRIPT typically follows a resharding or failover, when that topology is stale and the
   * EVALSHA was redirected to a node it does not name yet. Replicas too, as a failover promotes them.
   * Succeeds when one load does; a node it failed on answers the next EVALSHA with NOSCRIPT again.
   */
  @Override
  public CompletionStage<String> loadFor(String key, String script) {
    List<CompletableFuture<String>> loads = new ArrayList<>();
    for (RedisClusterNode node : connection.getPartitions()) {
      if (node.is(NodeFlag.FAIL) || node.is(NodeFlag.EVENTUAL_FAIL) || node.is(NodeFlag.NOADDR)) {
        continue; // waiting for its connect timeout would delay the call for nothing
      }
      RedisURI uri = node.getUri();
      loads.add(connection.getConnectionAsync(uri.getHost(), uri.getPort())
          .thenCompose(c -> c.async().scriptLoad(script)));
    }
    if (loads.isEmpty()) {
      return connection.async().scriptLoad(script);
    }
    return CompletableFuture.allOf(loads.stream().map(l -> l.exceptionally(e -> null))
        .toArray(CompletableFuture[]::new)).thenCompose(all -> {
          for (CompletableFuture<String> load : loads) {
            if (!load.isCompletedExceptionally()) {
              return load;
            }
          }
          return loads.get(0);
        });
  }
}
