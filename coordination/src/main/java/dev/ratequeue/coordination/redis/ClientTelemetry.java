package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.UpstreamCounters;
import dev.ratequeue.coordination.admin.ResourceTelemetry;
import dev.ratequeue.coordination.internal.QueueingLimiter;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * One JVM's telemetry of each of its resources, kept in its {@link ClientRecord} as a field {@code t:<resource>}:
 * {@code r=<upstream refusals>;p=<pauses>;h=<its recent waits, an HdrHistogram compressed, base64>}. The
 * histogram rather than its percentiles, so that the fleet's percentiles are those of every JVM's waits together
 * (percentiles do not add up). A few hundred bytes per resource, written once a second.
 */
final class ClientTelemetry {
  static final String FIELD_PREFIX = "t:";

  private ClientTelemetry() {}

  static Map<String, String> fields(Iterable<? extends QueueingLimiter> limiters) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (QueueingLimiter limiter : limiters) {
      UpstreamCounters upstream = limiter.upstreamCounters();
      Histogram waits = limiter.recordedStats().recentWaits();
      ByteBuffer buffer = ByteBuffer.allocate(waits.getNeededByteBufferCapacity());
      int length = waits.encodeIntoCompressedByteBuffer(buffer);
      fields.put(FIELD_PREFIX + limiter.resource(), "r=" + upstream.upstreamRefusals() + ";p=" + upstream.pauses()
          + ";h=" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
    }
    return fields;
  }

  /** The telemetry fields of one client record, by resource; what cannot be read is left out. */
  static Map<String, ResourceTelemetry> read(Map<String, String> record) {
    Map<String, ResourceTelemetry> byResource = new LinkedHashMap<>();
    record.forEach((field, value) -> {
      if (field.startsWith(FIELD_PREFIX)) {
        ResourceTelemetry t = parse(value);
        if (t != null) {
          byResource.put(field.substring(FIELD_PREFIX.length()), t);
        }
      }
    });
    return byResource;
  }

  private static ResourceTelemetry parse(String value) {
    long refusals = 0;
    long pauses = 0;
    Histogram waits = null;
    try {
      for (String part : value.split(";")) {
        if (part.startsWith("r=")) {
          refusals = Long.parseLong(part.substring(2));
        } else if (part.startsWith("p=")) {
          pauses = Long.parseLong(part.substring(2));
        } else if (part.startsWith("h=")) {
          waits = Histogram.decodeFromCompressedByteBuffer(
              ByteBuffer.wrap(Base64.getDecoder().decode(part.substring(2))), 0);
        }
      }
    } catch (IllegalArgumentException | DataFormatException e) {
      return null; // written by something else than this class
    }
    return new ResourceTelemetry(refusals, pauses, waits == null ? new Histogram(2) : waits);
  }
}
