package dev.ratequeue.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceStats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** The names and values the endpoint writes, for one resource on the local coordinator. */
class PrometheusSnapshotsTest {
  private static ResourceMetrics metrics(ResourceLimiter limiter) {
    return new ResourceMetrics() {
      @Override
      public String resource() {
        return limiter.resource();
      }

      @Override
      public ResourceStats stats() {
        return limiter.stats();
      }

      @Override
      public long upstreamRefusals() {
        return 3;
      }

      @Override
      public long pauses() {
        return 2;
      }

      @Override
      public long holds() {
        return 1;
      }

      @Override
      public ResourceLimits limits() {
        return limiter.limits();
      }

      @Override
      public String coordinator() {
        return "local";
      }
    };
  }

  @Test
  void everyMetricIsWrittenWithItsResourceLabel() throws Exception {
    try (Coordinator coordinator = Coordinator.local()) {
      ResourceLimiter limiter = coordinator.limiter(ResourceLimits.builder("openai")
          .requests(600, Duration.ofMinutes(1)).concurrency(5).build());
      Permit open = limiter.acquire();
      limiter.acquire().close();
      ResourceMetrics m = metrics(limiter);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(out, PrometheusSnapshots.of(Collections.singletonList(m)));
      String page = out.toString(StandardCharsets.UTF_8);
      assertThat(page).contains(
          "# TYPE ratequeue_permits_granted_total counter",
          "ratequeue_permits_granted_total{resource=\"openai\"} 2.0",
          "ratequeue_permits_rejected_total{reason=\"max-wait\",resource=\"openai\"} 0.0",
          "ratequeue_permits_rejected_total{reason=\"coordinator-unavailable\",resource=\"openai\"} 0.0",
          "ratequeue_calls_waiting{resource=\"openai\"} 0.0",
          "ratequeue_permits_in_flight{resource=\"openai\"} 1.0",
          "# TYPE ratequeue_wait_seconds summary",
          "ratequeue_wait_seconds{resource=\"openai\",quantile=\"0.99\"}",
          "ratequeue_wait_seconds_count{resource=\"openai\"} 2",
          "ratequeue_upstream_refusals_total{resource=\"openai\"} 3.0",
          "ratequeue_pauses_total{resource=\"openai\"} 2.0",
          "ratequeue_holds_total{resource=\"openai\"} 1.0",
          "ratequeue_coordinator_up{resource=\"openai\"} 1.0",
          "ratequeue_limit_requests_per_second{resource=\"openai\"} 10.0",
          "ratequeue_limit_concurrency{resource=\"openai\"} 5.0");
      assertThat(page).doesNotContain("ratequeue_limit_load_per_second{");
      assertThat(MetricValues.of(m, "permits.granted")).isEqualTo(2);
      assertThat(MetricValues.of(m, "permits.rejected:max-wait")).isZero();
      assertThat(MetricValues.of(m, "permits.in.flight")).isEqualTo(1);
      assertThat(MetricValues.of(m, "no.such.metric")).isNaN();
      open.close();
      assertThat(MetricValues.of(m, "permits.in.flight")).isZero();
    }
  }
}
