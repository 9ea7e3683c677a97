package dev.ratequeue.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Without the agent, the facade does nothing and costs nothing, but still refuses nonsense. */
class RateQueueWithoutAgentTest {
  @Test
  void scopesAreHarmlessNoOps() throws Exception {
    assertThat(RateQueue.agentAttached()).isFalse();
    try (RateQueue.Scope s = RateQueue.priority(10); RateQueue.Scope t = RateQueue.load(5)) {
      assertThat(s).isNotNull();
    }
    assertThat(RateQueue.withPriority(3, () -> "value")).isEqualTo("value");
    int[] ran = {0};
    RateQueue.withPriority(3, () -> {
      ran[0]++;
    });
    assertThat(ran[0]).isEqualTo(1);
  }

  @Test
  void aNegativeLoadIsRefusedWithTheValue() {
    assertThatThrownBy(() -> RateQueue.load(-5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-5");
  }
}
