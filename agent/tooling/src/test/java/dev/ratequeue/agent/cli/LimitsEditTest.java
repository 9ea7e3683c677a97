package dev.ratequeue.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratequeue.coordination.AdaptiveRate;
import dev.ratequeue.coordination.ConfigurationException;
import dev.ratequeue.coordination.FailurePolicy;
import dev.ratequeue.coordination.Rate;
import dev.ratequeue.coordination.ResourceLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitsEditTest {
  private static final ResourceLimits STORED = ResourceLimits.builder("openai").requests(450, Duration.ofMinutes(1))
      .burst(5).load(30_000, Duration.ofMinutes(1)).concurrency(20).maxWait(Duration.ofSeconds(30)).priority(3)
      .onCoordinatorFailure(FailurePolicy.FAIL).build();

  @Test
  void keysNotGivenKeepTheirValue() {
    ResourceLimits edited = LimitsEdit.apply(STORED, List.of("requests=225/1m"));
    assertThat(edited).isEqualTo(STORED.toBuilder().requests(225, Duration.ofMinutes(1)).build());
  }

  @Test
  void everyLimitSurvivesTheRoundTripThroughProperties() {
    ResourceLimits adaptive = STORED.toBuilder().adaptive(AdaptiveRate.of(0.1, 0.7, 0.02)).build();
    assertThat(LimitsEdit.apply(adaptive, List.of("priority=3"))).isEqualTo(adaptive);
  }

  @Test
  void noneRemovesALimitAndItsBurst() {
    ResourceLimits edited = LimitsEdit.apply(STORED, List.of("requests=none", "concurrency=none"));
    assertThat(edited.requests()).isEmpty();
    assertThat(edited.burst()).isZero();
    assertThat(edited.concurrency()).isZero();
    assertThat(edited.load()).contains(Rate.of(30_000, Duration.ofMinutes(1)));
  }

  @Test
  void badInputNamesTheKeyTheValueAndWhatWasExpected() {
    assertThatThrownBy(() -> LimitsEdit.apply(STORED, List.of("requests=10/mn")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'requests'").hasMessageContaining("'10/mn'");
    assertThatThrownBy(() -> LimitsEdit.apply(STORED, List.of("match=api.openai.com")))
        .isInstanceOf(UsageException.class).hasMessage("Invalid limit key: 'match'; expected one of "
            + String.join(", ", LimitsEdit.KEYS));
    assertThatThrownBy(() -> LimitsEdit.apply(STORED, List.of("requests")))
        .isInstanceOf(UsageException.class).hasMessageContaining("'requests'").hasMessageContaining("key=value");
    assertThatThrownBy(() -> LimitsEdit.apply(STORED, List.of("max-wait=none")))
        .isInstanceOf(UsageException.class).hasMessageContaining("only requests, load, concurrency, adaptive");
    assertThatThrownBy(() -> LimitsEdit.apply(STORED, List.of())).isInstanceOf(UsageException.class)
        .hasMessageContaining("--reset");
  }
}
