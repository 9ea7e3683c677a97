package dev.ratequeue.agent.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.agent.llm.RateLimitHeaders;
import dev.ratequeue.coordination.LimitKind;
import dev.ratequeue.coordination.ResourceLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaCalibrationTest {
  private static final Duration MAX = Duration.ofMinutes(5);

  /** OpenAI's token headers: {@code limit} per minute, {@code remaining} now, full again after {@code reset}. */
  private static RateLimitHeaders tokens(long limit, long remaining, String reset) {
    Map<String, String> h = new HashMap<>();
    h.put("x-ratelimit-limit-tokens", Long.toString(limit));
    h.put("x-ratelimit-remaining-tokens", Long.toString(remaining));
    h.put("x-ratelimit-reset-tokens", reset);
    return RateLimitHeaders.parse(name -> h.get(name.toLowerCase(java.util.Locale.ROOT)), Instant.now());
  }

  private static ResourceLimits tokensPerMinute(long count) {
    return ResourceLimits.builder("llm").load(count, Duration.ofMinutes(1)).build();
  }

  @Test
  void nothingIsHeldWhileTheUpstreamHasRoomForTheNextCall() {
    assertThat(QuotaCalibration.holds(tokens(60_000, 5_000, "55s"), tokensPerMinute(60_000), 1_000, MAX))
        .isEmpty();
  }

  @Test
  void tooLittleLeftHoldsTheLoadRateUntilTheBucketHasRefilledWhatTheNextCallNeeds() {
    // 60 000 spent refills in 60 s: 1 token per ms. 400 left, 1 000 needed: 600 ms.
    List<QuotaCalibration.Hold> holds =
        QuotaCalibration.holds(tokens(60_400, 400, "1m"), tokensPerMinute(60_400), 1_000, MAX);
    assertThat(holds).hasSize(1);
    assertThat(holds.get(0).kind).isEqualTo(LimitKind.LOAD);
    assertThat(holds.get(0).delay.toMillis()).isBetween(595L, 605L);
  }

  @Test
  void anUpstreamThatRefillsMoreSlowlyThanTheResourceGrantsIsGivenRoomForTwoCalls() {
    // The upstream refills 30 000 per minute, the resource grants 60 000: holding for one call would let the
    // fleet grant a second one at its own rate before the next response says there is no room for it.
    ResourceLimits limits = tokensPerMinute(60_000);
    assertThat(QuotaCalibration.holds(tokens(30_000, 1_500, "57s"), limits, 1_000, MAX))
        .as("1 500 left is enough for one call but not two").hasSize(1);
    List<QuotaCalibration.Hold> holds = QuotaCalibration.holds(tokens(30_000, 0, "1m"), limits, 1_000, MAX);
    assertThat(holds.get(0).delay.toMillis()).as("2 000 tokens at 2 ms each").isBetween(3_990L, 4_010L);
    assertThat(QuotaCalibration.holds(tokens(30_000, 2_000, "56s"), limits, 1_000, MAX)).isEmpty();
  }

  @Test
  void aResourceWithoutALoadRateOfItsOwnIsPausedWhole() {
    ResourceLimits requestsOnly = ResourceLimits.builder("llm").requests(100, Duration.ofSeconds(1)).build();
    List<QuotaCalibration.Hold> holds = QuotaCalibration.holds(tokens(60_000, 0, "2s"), requestsOnly, 500, MAX);
    assertThat(holds).hasSize(1);
    assertThat(holds.get(0).kind).as("null: the whole resource").isNull();
  }

  @Test
  void withoutTheQuotaSizeTheHoldLastsUntilTheResetAndNeverBeyondTheLongestHold() {
    Map<String, String> h = new HashMap<>();
    h.put("x-ratelimit-remaining-tokens", "10");
    h.put("x-ratelimit-reset-tokens", "20m");
    RateLimitHeaders headers = RateLimitHeaders.parse(name -> h.get(name.toLowerCase(java.util.Locale.ROOT)),
        Instant.now());
    assertThat(QuotaCalibration.holds(headers, tokensPerMinute(60_000), 500, Duration.ofMinutes(30))
        .get(0).delay).isEqualTo(Duration.ofMinutes(20));
    assertThat(QuotaCalibration.holds(headers, tokensPerMinute(60_000), 500, Duration.ofMinutes(5))
        .get(0).delay).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void theRequestsQuotaNeedsRoomForOneRequestWhateverTheLoad() {
    Map<String, String> h = new HashMap<>();
    h.put("x-ratelimit-limit-requests", "60");
    h.put("x-ratelimit-remaining-requests", "0");
    h.put("x-ratelimit-reset-requests", "1s");
    RateLimitHeaders headers = RateLimitHeaders.parse(name -> h.get(name.toLowerCase(java.util.Locale.ROOT)),
        Instant.now());
    ResourceLimits limits = ResourceLimits.builder("llm").requests(60, Duration.ofMinutes(1)).build();
    List<QuotaCalibration.Hold> holds = QuotaCalibration.holds(headers, limits, 5_000, MAX);
    assertThat(holds).hasSize(1);
    assertThat(holds.get(0).kind).isEqualTo(LimitKind.REQUESTS);
    assertThat(holds.get(0).delay.toMillis()).as("one request's worth of a 60-request refill in 1 s")
        .isBetween(10L, 25L);
  }
}
