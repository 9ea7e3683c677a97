package dev.ratequeue.agent.metrics;

import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceStats;
import dev.ratequeue.coordination.ResourceStats.Rejection;
import dev.ratequeue.coordination.WaitTimes;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * This JVM's resources in the Prometheus client's data model, built on each scrape from the same
 * values JMX shows. Counters get {@code _total} from the text format; every series has a
 * {@code resource} label. The names are documented in the README ("Metrics") and used by the
 * Micrometer binding too.
 */
final class PrometheusSnapshots {
  private static final double MICROS = 1e-6;

  private PrometheusSnapshots() {}

  static MetricSnapshots of(List<? extends ResourceMetrics> resources) {
    List<Row> rows = new ArrayList<>();
    for (ResourceMetrics r : resources) {
      rows.add(new Row(r, r.stats(), r.stats().waitTimes(), r.limits()));
    }
    List<MetricSnapshot> all = new ArrayList<>();
    all.add(counter("ratequeue_permits_granted", "Permits granted in this JVM", rows, row -> row.stats.granted()));
    all.add(rejected(rows));
    all.add(counter("ratequeue_calls_cancelled", "Calls whose caller gave up waiting for a permit", rows,
        row -> row.stats.cancelled()));
    all.add(gauge("ratequeue_calls_waiting", "Calls of this JVM waiting for a permit now", rows,
        row -> row.stats.waiting()));
    all.add(gauge("ratequeue_permits_in_flight", "Permits of this JVM granted and not closed yet", rows,
        row -> row.stats.inFlight()));
    all.add(waits(rows));
    all.add(gauge("ratequeue_wait_max_seconds", "Longest wait for a permit in the last minute", rows,
        row -> row.waits.maxMicros() * MICROS));
    all.add(counter("ratequeue_upstream_refusals", "Upstream responses refusing a call: 429, or 503 with Retry-After",
        rows, row -> row.metrics.upstreamRefusals()));
    all.add(counter("ratequeue_pauses", "Pauses of the resource this JVM asked every JVM to keep", rows,
        row -> row.metrics.pauses()));
    all.add(counter("ratequeue_holds", "Rates held back because the upstream's headers said too little was left",
        rows, row -> row.metrics.holds()));
    all.add(gauge("ratequeue_coordinator_up", "1 while this JVM reaches the coordinator, 0 while the failure policy "
        + "decides", rows, row -> row.stats.coordinatorState() == ResourceStats.CoordinatorState.CONNECTED ? 1 : 0));
    all.add(limit("ratequeue_limit_requests_per_second", "The requests limit, per second", rows,
        l -> l.requests().isPresent() ? l.requests().get().perSecond() : null));
    all.add(limit("ratequeue_limit_load_per_second", "The load limit, in units per second", rows,
        l -> l.load().isPresent() ? l.load().get().perSecond() : null));
    all.add(limit("ratequeue_limit_concurrency", "The concurrency limit", rows,
        l -> l.concurrency() > 0 ? (double) l.concurrency() : null));
    return new MetricSnapshots(all);
  }

  private static final class Row {
    final ResourceMetrics metrics;
    final ResourceStats stats;
    final WaitTimes waits;
    final ResourceLimits limits;
    final Labels labels;

    Row(ResourceMetrics metrics, ResourceStats stats, WaitTimes waits, ResourceLimits limits) {
      this.metrics = metrics;
      this.stats = stats;
      this.waits = waits;
      this.limits = limits;
      this.labels = Labels.of("resource", metrics.resource());
    }
  }

  private static CounterSnapshot counter(String name, String help, List<Row> rows, ToDoubleFunction<Row> value) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    for (Row row : rows) {
      b.dataPoint(CounterDataPointSnapshot.builder().labels(row.labels).value(value.applyAsDouble(row)).build());
    }
    return b.build();
  }

  private static GaugeSnapshot gauge(String name, String help, List<Row> rows, ToDoubleFunction<Row> value) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    for (Row row : rows) {
      b.dataPoint(GaugeDataPointSnapshot.builder().labels(row.labels).value(value.applyAsDouble(row)).build());
    }
    return b.build();
  }

  /** Only the resources that have the limit. */
  private static GaugeSnapshot limit(String name, String help, List<Row> rows, Function<ResourceLimits, Double> of) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    for (Row row : rows) {
      Double v = of.apply(row.limits);
      if (v != null) {
        b.dataPoint(GaugeDataPointSnapshot.builder().labels(row.labels).value(v).build());
      }
    }
    return b.build();
  }

  private static CounterSnapshot rejected(List<Row> rows) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name("ratequeue_permits_rejected")
        .help("Calls refused a permit, by reason: max-wait, coordinator-unavailable (on-coordinator-failure = fail), "
            + "error");
    for (Row row : rows) {
      for (Rejection reason : Rejection.values()) {
        b.dataPoint(CounterDataPointSnapshot.builder().labels(row.labels.add("reason", reason.label()))
            .value(row.stats.rejected(reason)).build());
      }
    }
    return b.build();
  }

  /** Quantiles over the last minute; count and sum since the start, as a Prometheus summary has them. */
  private static SummarySnapshot waits(List<Row> rows) {
    SummarySnapshot.Builder b = SummarySnapshot.builder().name("ratequeue_wait_seconds")
        .help("Time from enqueue to grant; quantiles over the last minute");
    for (Row row : rows) {
      WaitTimes w = row.waits;
      b.dataPoint(SummaryDataPointSnapshot.builder().labels(row.labels)
          .quantiles(Quantiles.of(new Quantile(0.5, w.p50Micros() * MICROS), new Quantile(0.99, w.p99Micros() * MICROS),
              new Quantile(0.999, w.p999Micros() * MICROS)))
          .count(w.totalCount()).sum(w.totalMicros() * MICROS).build());
    }
    return b.build();
  }
}
