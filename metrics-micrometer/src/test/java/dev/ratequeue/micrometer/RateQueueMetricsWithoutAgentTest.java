package dev.ratequeue.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The build's own JVM runs without the agent: binding is harmless and binds nothing. */
class RateQueueMetricsWithoutAgentTest {
  @Test
  void withoutTheAgentNothingIsBoundAndNothingThrows() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    assertThat(RateQueueMetrics.bind(registry)).isZero();
    new RateQueueMetrics().bindTo(registry);
    assertThat(registry.getMeters()).isEmpty();
  }
}
