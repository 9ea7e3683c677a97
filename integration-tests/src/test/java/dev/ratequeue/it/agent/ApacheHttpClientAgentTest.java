package dev.ratequeue.it.agent;

import static dev.ratequeue.it.agent.ClientLib.HTTPCLIENT5_5_0;
import static dev.ratequeue.it.agent.ClientLib.HTTPCLIENT5_LATEST;

import dev.ratequeue.testing.RedisServerExtension;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Apache HttpClient 5 under the agent, classic and async; each fleet mixes 5.0 (the oldest supported) and the newest. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ApacheHttpClientAgentTest {
  private static final List<ClientLib> VERSIONS =
      Arrays.asList(HTTPCLIENT5_5_0, HTTPCLIENT5_LATEST, HTTPCLIENT5_5_0, HTTPCLIENT5_LATEST);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void classicHoldsTheFleetUnderTheLimitWithNo429() {
    OverloadScenario.run(redis.uri(), VERSIONS, "hc5", "sync");
  }

  @Test
  void asyncHoldsTheFleetUnderTheLimitWithNo429() {
    OverloadScenario.run(redis.uri(), VERSIONS, "hc5", "async");
  }
}
