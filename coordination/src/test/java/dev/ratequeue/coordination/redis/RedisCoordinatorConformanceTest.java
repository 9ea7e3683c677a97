package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorConformanceTest;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisCoordinatorConformanceTest extends CoordinatorConformanceTest {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  protected Coordinator newCoordinator() {
    return Coordinator.create(redis.uri(), CoordinatorOptions.defaults());
  }
}
