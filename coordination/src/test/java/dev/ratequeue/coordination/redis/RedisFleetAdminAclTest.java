package dev.ratequeue.coordination.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.admin.FleetAdmin;
import dev.ratequeue.testing.RedisServer;
import dev.ratequeue.testing.RespConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ACL the README gives an operator's command line: a worker's rules without what only workers do
 * (subscribe to grants, keep a client record) and with SCAN. Workers run as the worker user, the admin as
 * the operator, and Redis refuses nothing either needs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisFleetAdminAclTest {
  static List<String> operatorAcl() {
    List<String> rules = new ArrayList<>(RedisConnectivityTest.RATEQUEUE_ACL);
    rules.removeAll(List.of("+subscribe", "+pexpire", "+del"));
    rules.add("+scan");
    return rules;
  }

  @Test
  void anOperatorNeedsTheWorkersRulesWithScanAndWithoutSubscribe() throws Exception {
    String workerPassword = "worker-Pw-31";
    String operatorPassword = "ops-Pw-77";
    try (RedisServer redis = RedisServer.builder()
        .aclUser("worker", workerPassword, RedisConnectivityTest.RATEQUEUE_ACL.toArray(new String[0]))
        .aclUser("ops", operatorPassword, operatorAcl().toArray(new String[0])).build();
        RespConnection root = redis.openConnection(Duration.ofSeconds(10))) {
      CoordinatorOptions options = CoordinatorOptions.builder().commandTimeout(Duration.ofSeconds(10)).build();
      try (Coordinator worker = Coordinator.create(redis.uri(), options)) {
        worker.limiter(ResourceLimits.builder("acl-admin").requests(10, Duration.ofSeconds(1)).build())
            .acquire().close();
        try (FleetAdmin admin = FleetAdmin.connect("redis://ops:" + operatorPassword + "@127.0.0.1:" + redis.port(),
            options)) {
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (admin.clients().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
          }
          assertThat(admin.clients()).hasSize(1);
          assertThat(admin.resources()).containsExactly("acl-admin");
          admin.updateLimits(ResourceLimits.builder("acl-admin").requests(5, Duration.ofSeconds(1)).build());
          admin.pause("acl-admin", Duration.ofSeconds(30));
          admin.resume("acl-admin");
          admin.resetLimits("acl-admin");
          assertThat(admin.resource("acl-admin")).isEmpty();
        }
        worker.limiter(ResourceLimits.builder("acl-admin").requests(10, Duration.ofSeconds(1)).build())
            .acquire().close();
      }
      // Lettuce's handshake sends CLIENT SETINFO, which Redis 6.2 refuses and logs; anything else refused would
      // be something RateQueue needed.
      Object log = root.call("ACL", "LOG");
      assertThat(log).isInstanceOf(List.class);
      for (Object entry : (List<?>) log) {
        List<?> fields = (List<?>) entry;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
          if ("object".equals(String.valueOf(fields.get(i)))) {
            assertThat(String.valueOf(fields.get(i + 1))).as("refused: %s", fields).isEqualTo("client");
          }
        }
      }
    }
  }
}
