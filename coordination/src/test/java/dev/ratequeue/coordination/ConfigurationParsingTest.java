package dev.ratequeue.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConfigurationParsingTest {
  private static final String PREFIX = "ratequeue.resources.openai.";

  @ParameterizedTest
  @CsvSource({
      "500/1m, 500, PT1M",
      "500/m, 500, PT1M",
      "500/min, 500, PT1M",
      "10/s, 10, PT1S",
      "10/sec, 10, PT1S",
      "3/250ms, 3, PT0.25S",
      "'30000 / 1 h', 30000, PT1H",
      "7/2S, 7, PT2S"})
  void ratesUsersWrite(String text, long count, Duration period) {
    Rate rate = Rate.parse("k", text);
    assertThat(rate.count()).isEqualTo(count);
    assertThat(rate.period()).isEqualTo(period);
  }

  @ParameterizedTest
  @ValueSource(strings = {"500/mn", "-1/s", "0/s", "10/0s", "10", "/s", "ten/s", "10/s/s", "", "99999999999999999999/s"})
  void malformedRatesNameKeyValueAndExpectation(String text) {
    assertThatThrownBy(() -> Rate.parse(PREFIX + "requests", text))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'" + PREFIX + "requests'")
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("expected N/period");
  }

  @Test
  void ratesPrintAsWritten() {
    assertThat(Rate.parse("k", "500/m")).hasToString("500/1m");
    assertThat(Rate.parse("k", "3/250ms")).hasToString("3/250ms");
  }

  @ParameterizedTest
  @CsvSource({"2m, PT2M", "250ms, PT0.25S", "0, PT0S", "1h, PT1H", "30 s, PT30S"})
  void durations(String text, Duration expected) {
    assertThat(Durations.parse("k", text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "2 weeks", "-1s", "1.5s", "soon"})
  void malformedDurations(String text) {
    assertThatThrownBy(() -> Durations.parse(PREFIX + "max-wait", text))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(PREFIX + "max-wait")
        .hasMessageContaining(text)
        .hasMessageContaining("expected");
  }

  @Test
  void aResourceFromProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("requests", "500/1m");
    p.put("load", "30000/1m");
    p.put("concurrency", "50");
    p.put("burst", "5");
    p.put("max-wait", "2m");
    p.put("priority", "10");
    p.put("on-coordinator-failure", "fail");
    p.put("match", "api.openai.com");
    ResourceLimits limits = ResourceLimits.fromProperties("openai", PREFIX, p);
    assertThat(limits.requests()).contains(Rate.of(500, Duration.ofMinutes(1)));
    assertThat(limits.load()).contains(Rate.of(30000, Duration.ofMinutes(1)));
    assertThat(limits.concurrency()).isEqualTo(50);
    assertThat(limits.burst()).isEqualTo(5);
    assertThat(limits.maxWait()).isEqualTo(Duration.ofMinutes(2));
    assertThat(limits.priority()).isEqualTo(10);
    assertThat(limits.onCoordinatorFailure()).isEqualTo(FailurePolicy.FAIL);
  }

  @ParameterizedTest
  @CsvSource({
      "concurrency, 0, a whole number >= 1",
      "concurrency, many, a whole number >= 1",
      "burst, -3, a whole number >= 0",
      "on-coordinator-failure, maybe, 'one of local, allow, fail'",
      "requsts, 10/s, 'a known resource setting'",
      "max-hold, 0, a duration greater than 0",
      "adaptive, yes, true or false",
      "adaptive-floor, 0, a share above 0",
      "adaptive-floor, 150%, a share above 0",
      "adaptive-decrease, 1, a share below 1",
      "adaptive-increase, fast, a share from 0"})
  void badResourceSettings(String key, String value, String expected) {
    assertThatThrownBy(() -> ResourceLimits.fromProperties("openai", PREFIX, Map.of(key, value)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'" + PREFIX + key + "'")
        .hasMessageContaining("'" + value + "'")
        .hasMessageContaining(expected);
  }

  @Test
  void anAdaptiveRateTakesItsCeilingFromTheRatesAndItsShapeFromShares() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("requests", "500/1m");
    p.put("adaptive", "true");
    p.put("adaptive-floor", "10%");
    p.put("adaptive-decrease", "0.5");
    ResourceLimits limits = ResourceLimits.fromProperties("openai", PREFIX, p);
    AdaptiveRate a = limits.adaptive().orElseThrow();
    assertThat(a.floor()).isEqualTo(0.1);
    assertThat(a.decrease()).isEqualTo(0.5);
    assertThat(a.increasePerSecond()).isEqualTo(AdaptiveRate.DEFAULT_INCREASE_PER_SECOND);
    assertThat(ResourceLimits.fromProperties("openai", PREFIX, Map.of("requests", "1/s")).adaptive()).isEmpty();
  }

  @Test
  void anAdaptiveRateNeedsARateToStartFrom() {
    assertThatThrownBy(() -> ResourceLimits.fromProperties("openai", PREFIX, Map.of("adaptive", "true",
        "concurrency", "3"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'" + PREFIX + "adaptive'").hasMessageContaining("requests or load limit");
  }

  @ParameterizedTest
  @ValueSource(strings = {"OpenAI", "-api", "a b", "../x", "a:b", "{x}", "a*", ""})
  void resourceNamesThatCouldEscapeTheirKeysAreRefused(String name) {
    assertThatThrownBy(() -> ResourceLimits.builder(name).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(name)
        .hasMessageContaining(ResourceNames.PATTERN_TEXT);
  }

  @Test
  void aResourceNameOfSixtyFourCharactersIsTheLongest() {
    String name = "a".repeat(64);
    assertThat(ResourceLimits.builder(name).build().name()).isEqualTo(name);
    assertThatThrownBy(() -> ResourceLimits.builder(name + "a").build()).isInstanceOf(ConfigurationException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql://host:3306", "redis//host", "localhost:6379", ""})
  void anUnknownCoordinatorUrlNamesTheKey(String url) {
    assertThatThrownBy(() -> Coordinator.create(url, CoordinatorOptions.defaults()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'ratequeue.coordinator'")
        .hasMessageContaining("redis://");
  }

  @Test
  void anUnparsableRedisUrlNamesTheKeyAndHidesThePassword() {
    assertThatThrownBy(() -> Coordinator.create("redis://alice:s3cret@host:notaport", CoordinatorOptions.defaults()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'ratequeue.coordinator'")
        .hasMessageNotContaining("s3cret");
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis://host:6379", "redis://alice:pw@host:6379/2", "rediss://:pw@host", "redis://[::1]:6379",
      "redis-sentinel://h1:26379,h2:26379/0#mymaster", "redis-sentinel://h1#mymaster", "redis://host?timeout=5s",
      "redis-cluster://h1:7000", "redis-cluster://h1:7000,h2:7001,[::1]:7002", "rediss-cluster://alice:pw@h1:7000,h2",
      "redis-cluster://:pw@h1:7000/", "redis-cluster://h1:7000,h2:7001?timeout=5s"})
  void wellFormedRedisUrls(String url) {
    assertThat(RedisUrls.wellFormed(url)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis://host:notaport", "redis://", "redis://host:6379/x", "redis-sentinel://h1:26379",
      "redis://a b:6379", "redis-cluster://", "redis-cluster://h1:7000/0", "redis-cluster://h1:7000,",
      "redis-cluster://h1:notaport", "redis-cluster://h1:7000#master", "redis-cluster://h1:7000,,h2:7001"})
  void malformedRedisUrls(String url) {
    assertThat(RedisUrls.wellFormed(url)).isFalse();
  }

  @Test
  void aMalformedClusterUrlNamesTheKeyAndTheClusterShapeAndHidesThePassword() {
    assertThatThrownBy(() -> Coordinator.create("redis-cluster://alice:s3cret@h1:7000/0", CoordinatorOptions.defaults()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'ratequeue.coordinator'")
        .hasMessageContaining("redis-cluster://host:port[,host:port]")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void passwordsAreMasked() {
    assertThat(RedisUrls.mask("redis://alice:s3cret@host:6379/0")).isEqualTo("redis://alice:***@host:6379/0");
    assertThat(RedisUrls.mask("rediss://:s3cret@host")).isEqualTo("rediss://:***@host");
    assertThat(RedisUrls.mask("redis://host:6379")).isEqualTo("redis://host:6379");
    assertThat(RedisUrls.mask("redis-cluster://alice:s3cret@h1:7000,h2:7001"))
        .isEqualTo("redis-cluster://alice:***@h1:7000,h2:7001");
  }

  @Test
  void theLocalShareDividesEveryLimit() {
    ResourceLimits limits = ResourceLimits.builder("x").requests(100, Duration.ofSeconds(1)).load(1000, Duration.ofMinutes(1))
        .concurrency(10).build();
    ResourceLimits share = limits.share(4);
    assertThat(share.requests()).contains(Rate.of(25, Duration.ofSeconds(1)));
    assertThat(share.load()).contains(Rate.of(250, Duration.ofMinutes(1)));
    assertThat(share.concurrency()).isEqualTo(2);
    assertThat(limits.share(1000).concurrency()).isEqualTo(1);
  }
}
