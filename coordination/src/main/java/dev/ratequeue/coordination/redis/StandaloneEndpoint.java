package dev.ratequeue.coordination.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** {@code redis://}, {@code rediss://} and {@code redis-sentinel://}: Lettuce reads these URLs itself. */
final class StandaloneEndpoint implements RedisEndpoint {
  private final RedisURI uri;
  private final RedisClient client;

  private StandaloneEndpoint(RedisURI uri, Duration timeout, boolean queueWhileConnecting) {
    this.uri = uri;
    this.client = RedisClient.create(uri);
    ClientOptions.Builder options = ClientOptions.builder();
    RedisEndpoint.failFast(options, timeout, queueWhileConnecting);
    client.setOptions(options.build());
  }

  /** Throws a RuntimeException when Lettuce cannot read {@code url}. */
  static StandaloneEndpoint create(String url, Duration timeout) {
    return create(url, timeout, false);
  }

  /** {@code queueWhileConnecting}: see {@link RedisEndpoint#failFast(ClientOptions.Builder, Duration, boolean)}. */
  static StandaloneEndpoint create(String url, Duration timeout, boolean queueWhileConnecting) {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(timeout);
    return new StandaloneEndpoint(uri, timeout, queueWhileConnecting);
  }

  @Override
  public StatefulRedisPubSubConnection<String, String> connectPubSub() {
    return client.connectPubSub(StringCodec.UTF8, uri);
  }

  @Override
  public ScriptConnection connectCommands() {
    StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8, uri);
    return new ScriptConnection() {
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
        connection.sync().scriptLoad(script);
      }

      @Override
      public CompletionStage<String> loadFor(String key, String script) {
        return connection.async().scriptLoad(script);
      }
    };
  }

  @Override
  public void shutdown() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
