package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceSnapshot;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The script's snapshot reply ({@code q=<priority>:<count>,…;f=…;g=…;l=…;p=…;c=…;a=…}, see the N op
 * of ratequeue.lua) as a {@link ResourceSnapshot}; utilization is taken against {@code limits}.
 */
final class SnapshotCodec {
  private SnapshotCodec() {}

  static ResourceSnapshot decode(String name, String encoded, ResourceLimits limits) {
    Map<String, String> f = new TreeMap<>();
    for (String part : encoded.split(";")) {
      int eq = part.indexOf('=');
      f.put(part.substring(0, eq), part.substring(eq + 1));
    }
    TreeMap<Integer, Long> depth = new TreeMap<>();
    for (String entry : f.get("q").split(",")) {
      if (!entry.isEmpty()) {
        String[] pc = entry.split(":");
        depth.put(Integer.parseInt(pc[0]), Long.parseLong(pc[1]));
      }
    }
    long inFlight = Long.parseLong(f.get("f"));
    double grants = Double.parseDouble(f.get("g"));
    double load = Double.parseDouble(f.get("l"));
    double utilization = 0;
    if (limits.requests().isPresent()) {
      utilization = Math.max(utilization, grants / limits.requests().get().perSecond());
    }
    if (limits.load().isPresent()) {
      utilization = Math.max(utilization, load / limits.load().get().perSecond());
    }
    if (limits.concurrency() > 0) {
      utilization = Math.max(utilization, (double) inFlight / limits.concurrency());
    }
    return new ResourceSnapshot(name, depth, inFlight, grants, load, utilization,
        Duration.of(Long.parseLong(f.get("p")), ChronoUnit.MICROS), Integer.parseInt(f.get("c")),
        Double.parseDouble(f.getOrDefault("a", "1")));
  }
}
