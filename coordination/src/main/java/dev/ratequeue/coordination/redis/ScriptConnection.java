package dev.ratequeue.coordination.redis;

import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletionStage;

/**
 * A commands connection as {@link GrantScript} uses it. EVALSHA runs where its first key lives: on
 * the one server, or on the cluster node serving the key's slot; a load that repairs a NOSCRIPT
 * must reach that same server.
 */
interface ScriptConnection {
  RedisScriptingAsyncCommands<String, String> commands();

  /**
   * The same connection for plain keys (a JVM's client record, the admin's SCAN). On a cluster,
   * Lettuce routes each key to its node and a SCAN walks every master.
   */
  RedisClusterAsyncCommands<String, String> data();

  /** Blocking, bounded by the command timeout; on a cluster it loads on every node. */
  void preload(String script);

  /** Loads {@code script} on the server an EVALSHA of {@code key} runs on. */
  CompletionStage<String> loadFor(String key, String script);
}
