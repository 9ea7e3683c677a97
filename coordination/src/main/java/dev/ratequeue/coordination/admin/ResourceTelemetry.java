package dev.ratequeue.coordination.admin;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What the upstream did to a resource's calls and how long they waited, as its JVMs report it (each once a
 * second): in one JVM's record, or added up over the live JVMs by {@link #ofFleet}. The counts are since each
 * JVM started, so a JVM that leaves takes its share with it; the waits are of the last 10 to 20 s.
 */
public final class ResourceTelemetry {
  public static final ResourceTelemetry NONE = new ResourceTelemetry(0, 0, new Histogram(2));

  private final long upstreamRefusals;
  private final long pauses;
  private final Histogram waits;

  public ResourceTelemetry(long upstreamRefusals, long pauses, Histogram waits) {
    this.upstreamRefusals = upstreamRefusals;
    this.pauses = pauses;
    this.waits = waits;
  }

  /** {@code resource}'s telemetry over every client that reports it. */
  public static ResourceTelemetry ofFleet(String resource, List<FleetClient> clients) {
    long refusals = 0;
    long pauses = 0;
    Histogram waits = new Histogram(2);
    for (FleetClient c : clients) {
      ResourceTelemetry t = c.telemetry().get(resource);
      if (t != null) {
        refusals += t.upstreamRefusals;
        pauses += t.pauses;
        waits.add(t.waits);
      }
    }
    return new ResourceTelemetry(refusals, pauses, waits);
  }

  /** HTTP 429s (and 503s with Retry-After) the upstream answered. */
  public long upstreamRefusals() {
    return upstreamRefusals;
  }

  /** Pauses asked of the coordinator after a refusal. */
  public long pauses() {
    return pauses;
  }

  /** Calls granted recently, whose waits the percentiles are of. */
  public long waitCount() {
    return waits.getTotalCount();
  }

  /** The wait (queue to grant) at {@code percentile}, in milliseconds; 0 when nothing was granted recently. */
  public double waitMillisAt(double percentile) {
    return waits.getTotalCount() == 0 ? 0 : waits.getValueAtPercentile(percentile) / 1000.0;
  }
}
