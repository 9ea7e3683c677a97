package dev.ratequeue.coordination.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;

/** The Lettuce client of a coordinator: one Redis (directly or through Sentinel), or a Redis Cluster. */
interface RedisEndpoint {
  /** Blocking; throws when Redis cannot be reached. */
  StatefulRedisPubSubConnection<String, String> connectPubSub();

  /** Blocking; throws when Redis cannot be reached. */
  ScriptConnection connectCommands();

  /** Closes every connection made. */
  void shutdown();

  /**
   * Lettuce's default would queue commands while disconnected and replay them on reconnect, which
   * turns an outage into a hang and then a burst: commands fail at once instead, and nothing waits
   * longer than the command timeout.
   */
  static void failFast(ClientOptions.Builder options, Duration timeout) {
    failFast(options, timeout, false);
  }

  /**
   * {@code queueWhileConnecting}: for an admin's one-shot commands. Lettuce connects to a cluster's
   * nodes lazily, and a command for a node whose connection is still being made would be rejected
   * rather than wait for it: a worker repeats its call anyway, an admin's SCAN of every master would
   * fail. Commands then wait for the connection, still no longer than the command timeout.
   */
  static void failFast(ClientOptions.Builder options, Duration timeout, boolean queueWhileConnecting) {
    options.autoReconnect(true)
        .disconnectedBehavior(queueWhileConnecting ? ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS
            : ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).build());
  }
}
