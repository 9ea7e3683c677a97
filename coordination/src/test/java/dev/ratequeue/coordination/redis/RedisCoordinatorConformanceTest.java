package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorConformanceTest;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisCoordinatorConformanceTest extends CoordinatorConformanceTest {
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Override
  protected Coordinator newCoordinator() {
    return Coordinator.create(redis.uri(), CoordinatorOptions.defaults());
  }
}
