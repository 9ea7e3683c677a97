package dev.ratequeue.it.agent;

import dev.ratequeue.testing.RedisServerExtension;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code @RateLimited} methods under the agent. They call through {@code HttpURLConnection}, which the agent
 * does not intercept, so the annotation is the only thing between the fleet and the upstream.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RateLimitedAgentTest {
  private static final List<ClientLib> FLEET = Collections.nCopies(4, ClientLib.JDK_ONLY);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void annotatedMethodsHoldTheFleetUnderTheLimitWithNo429() {
    OverloadScenario.run(redis.uri(), FLEET, "annotated", "sync");
  }

  @Test
  void annotatedMethodsReturningFuturesHoldTheFleetUnderTheLimitWithNo429() {
    OverloadScenario.run(redis.uri(), FLEET, "annotated", "async");
  }
}
