package dev.ratequeue.coordination.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSeedsTest {
  @Test
  void aClusterUrlBecomesOneSeedPerNodeWithTheCredentialsTlsAndOptionsOfTheUrl() {
    List<RedisURI> seeds = ClusterSeeds.parse("rediss-cluster://alice:s%20cret@h1:7000,[::1]:7001/?clientName=rq",
        Duration.ofSeconds(2));
    // An IPv6 seed is read exactly as Lettuce reads it in a redis:// URL.
    assertThat(seeds).extracting(RedisURI::getHost)
        .containsExactly("h1", RedisURI.create("redis://[::1]:7001").getHost());
    assertThat(seeds).extracting(RedisURI::getPort).containsExactly(7000, 7001);
    assertThat(seeds).allSatisfy(seed -> {
      assertThat(seed.isSsl()).isTrue();
      assertThat(seed.isVerifyPeer()).isTrue();
      RedisCredentials credentials = seed.getCredentialsProvider().resolveCredentials().block();
      assertThat(credentials.getUsername()).isEqualTo("alice");
      assertThat(new String(credentials.getPassword())).isEqualTo("s cret");
      assertThat(seed.getClientName()).isEqualTo("rq");
      assertThat(seed.getTimeout()).isEqualTo(Duration.ofSeconds(2));
    });
  }

  @Test
  void aSeedWithoutPortOrCredentialsGetsLettucesDefaults() {
    assertThat(ClusterSeeds.parse("redis-cluster://h1", Duration.ofSeconds(2))).singleElement().satisfies(seed -> {
      assertThat(seed.isSsl()).isFalse();
      assertThat(seed.getPort()).isEqualTo(RedisURI.DEFAULT_REDIS_PORT);
      assertThat(seed.getCredentialsProvider().resolveCredentials().block().hasPassword()).isFalse();
    });
  }
}
