package dev.ratequeue.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
  @Test
  void whatGoWritesAndOpenAiSends() {
    assertThat(GoDuration.parse("1s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(GoDuration.parse("6m0s")).isEqualTo(Duration.ofMinutes(6));
    assertThat(GoDuration.parse("20ms")).isEqualTo(Duration.ofMillis(20));
    assertThat(GoDuration.parse("1m30.5s")).isEqualTo(Duration.ofMillis(90_500));
    assertThat(GoDuration.parse("2h0m0s")).isEqualTo(Duration.ofHours(2));
    assertThat(GoDuration.parse("0.5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("0s")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("59.997s")).isEqualTo(Duration.ofMillis(59_997));
    assertThat(GoDuration.parse("17h59m59.999s")).isEqualTo(Duration.ofHours(18).minusMillis(1));
    assertThat(GoDuration.parse("1h1m1.001s")).isEqualTo(Duration.ofMillis(3_661_001));
    assertThat(GoDuration.parse(" 8.64s ")).isEqualTo(Duration.ofMillis(8_640));
  }

  @Test
  void everyUnitAndFraction() {
    assertThat(GoDuration.parse("300ns")).isEqualTo(Duration.ofNanos(300));
    assertThat(GoDuration.parse("1.5us")).isEqualTo(Duration.ofNanos(1_500));
    assertThat(GoDuration.parse("2\u00b5s")).as("micro sign").isEqualTo(Duration.ofNanos(2_000));
    assertThat(GoDuration.parse("2\u03bcs")).as("Greek mu").isEqualTo(Duration.ofNanos(2_000));
    assertThat(GoDuration.parse("1.s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(GoDuration.parse(".5m")).isEqualTo(Duration.ofSeconds(30));
    assertThat(GoDuration.parse("1.0000000009s")).as("below a nanosecond is cut, as in Go")
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("30")).as("a bare number: seconds").isEqualTo(Duration.ofSeconds(30));
    assertThat(GoDuration.parse("2.25")).isEqualTo(Duration.ofMillis(2_250));
  }

  @Test
  void anythingElseIsNoDuration() {
    for (String bad : new String[] {null, "", " ", "s", "m5", "-1s", "+1s", "1x", "1 s", "1s ms", "1..5s", ".s",
        "1.5.5s", "soon", "\uff15s", "1d", "1S", "1e3s", "NaN", "99999999999999999999h"}) {
      assertThat(GoDuration.parse(bad)).as(String.valueOf(bad)).isNull();
    }
  }
}
