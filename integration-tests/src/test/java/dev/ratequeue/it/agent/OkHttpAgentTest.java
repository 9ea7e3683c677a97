package dev.ratequeue.it.agent;

import static dev.ratequeue.it.agent.ClientLib.OKHTTP_3;
import static dev.ratequeue.it.agent.ClientLib.OKHTTP_4;
import static dev.ratequeue.it.agent.ClientLib.OKHTTP_5;

import dev.ratequeue.testing.RedisServerExtension;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OkHttp under the agent, {@code execute()} and {@code enqueue()}: each fleet mixes OkHttp 3.12 (the oldest
 * supported, {@code okhttp3.RealCall}), 4.12 and 5.5 (Kotlin, {@code okhttp3.internal.connection.RealCall}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OkHttpAgentTest {
  private static final List<ClientLib> VERSIONS = Arrays.asList(OKHTTP_3, OKHTTP_4, OKHTTP_5, OKHTTP_4);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void executeHoldsTheFleetUnderTheLimitWithNo429() {
    OverloadScenario.run(redis.uri(), VERSIONS, "okhttp", "sync");
  }

  @Test
  void enqueueHoldsTheFleetUnderTheLimitWithNo429() {
    OverloadScenario.run(redis.uri(), VERSIONS, "okhttp", "async");
  }
}
