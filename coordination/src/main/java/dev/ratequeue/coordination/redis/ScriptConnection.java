package dev.ratequeue.coordination.redis;

import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.util.concurrent.CompletionStage;

/**
 * A commands connection as {@link GrantScript} uses it. EVALSHA runs where its first key lives: on
 * the one server, or on the cluster node serving the key's slot; a load that repairs a NOSCRIPT
 * must reach that same server.
 */
interface ScriptConnection {
  RedisScriptingAsyncCommands<String, String> commands();

  /** Blocking, bounded by the command timeout; on a cluster it loads on every node. */
  void preload(String script);

  /** Loads {@code script} on the server an EVALSHA of {@code key} runs on. */
  CompletionStage<String> loadFor(String key, String script);
}
