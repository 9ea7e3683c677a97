package dev.ratequeue.it.agent;

import dev.ratequeue.testing.RedisServerExtension;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDK's {@code java.net.http.HttpClient} under the agent: {@code send} and {@code sendAsync}. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JavaHttpClientAgentTest {
  private static final List<ClientLib> FLEET = Collections.nCopies(4, ClientLib.JDK_ONLY);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void sendHoldsTheFleetUnderTheLimitWithNo429() {
    OverloadScenario.run(redis.uri(), FLEET, "jdk", "sync");
  }

  @Test
  void sendAsyncHoldsTheFleetUnderTheLimitWithNo429() {
    OverloadScenario.run(redis.uri(), FLEET, "jdk", "async");
  }
}
