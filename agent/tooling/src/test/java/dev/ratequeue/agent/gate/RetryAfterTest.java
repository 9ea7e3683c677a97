package dev.ratequeue.agent.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void secondsAndHttpDates() {
    assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("1.5", NOW)).isEqualTo(Duration.ofMillis(1500));
    assertThat(RetryAfter.parse("Tue, 01 Dec 2026 10:00:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Tue, 01 Dec 2026 09:59:00 GMT", NOW)).as("a date past").isEqualTo(Duration.ZERO);
  }

  @Test
  void anythingElseIsUnreadable() {
    for (String bad : new String[] {null, "", "soon", "-5", "NaN", "1e400", "Tomorrow, 10am", "12s"}) {
      assertThat(RetryAfter.parse(bad, NOW)).as(String.valueOf(bad)).isNull();
    }
  }
}
