package dev.ratequeue.agent.cli;

import dev.ratequeue.coordination.Durations;
import dev.ratequeue.coordination.ResourceLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code set <resource> key=value…}: the stored limits with the given keys changed, read by the same
 * parser as the properties file ({@link ResourceLimits#fromProperties}), so a value that the file
 * would refuse is refused here with the same message. {@code requests}, {@code load},
 * {@code concurrency} and {@code adaptive} take {@code none} to remove that limit.
 */
final class LimitsEdit {
  static final List<String> KEYS = List.of("requests", "load", "concurrency", "burst", "load-burst", "max-wait",
      "max-hold", "priority", "on-coordinator-failure", "adaptive", "adaptive-floor", "adaptive-decrease",
      "adaptive-increase");
  private static final List<String> REMOVABLE = List.of("requests", "load", "concurrency", "adaptive");

  private LimitsEdit() {}

  static ResourceLimits apply(ResourceLimits current, List<String> assignments) {
    if (assignments.isEmpty()) {
      throw new UsageException("set needs at least one key=value (keys: " + String.join(", ", KEYS)
          + "), or --reset; e.g. set " + current.name() + " requests=100/1m");
    }
    Map<String, String> properties = properties(current);
    for (String assignment : assignments) {
      int eq = assignment.indexOf('=');
      if (eq <= 0) {
        throw UsageException.invalid("limit", assignment, "key=value with a key among " + String.join(", ", KEYS)
            + ", e.g. requests=100/1m");
      }
      String key = assignment.substring(0, eq).trim();
      String value = assignment.substring(eq + 1).trim();
      if (!KEYS.contains(key)) {
        throw UsageException.invalid("limit key", key, "one of " + String.join(", ", KEYS));
      }
      if (value.equalsIgnoreCase("none")) {
        if (!REMOVABLE.contains(key)) {
          throw UsageException.invalid(key, value, "a value; only " + String.join(", ", REMOVABLE) + " can be none");
        }
        properties.remove(key);
        if (key.equals("requests")) {
          properties.remove("burst");
        } else if (key.equals("load")) {
          properties.remove("load-burst");
        } else if (key.equals("adaptive")) {
          properties.keySet().removeIf(k -> k.startsWith("adaptive-"));
        }
      } else {
        properties.put(key, value);
      }
    }
    // Keys are named as typed on the command line ("requests"), not as in the file.
    return ResourceLimits.fromProperties(current.name(), "", properties);
  }

  /** {@code current} as the properties file would say it, so that edits apply on top of it. */
  static Map<String, String> properties(ResourceLimits l) {
    Map<String, String> p = new LinkedHashMap<>();
    l.requests().ifPresent(r -> {
      p.put("requests", r.toString());
      p.put("burst", Long.toString(l.burst()));
    });
    l.load().ifPresent(r -> {
      p.put("load", r.toString());
      p.put("load-burst", Long.toString(l.loadBurst()));
    });
    if (l.concurrency() > 0) {
      p.put("concurrency", Integer.toString(l.concurrency()));
    }
    p.put("max-wait", Durations.format(l.maxWait()));
    p.put("max-hold", Durations.format(l.maxHold()));
    p.put("priority", Integer.toString(l.priority()));
    p.put("on-coordinator-failure", l.onCoordinatorFailure().toString());
    l.adaptive().ifPresent(a -> {
      p.put("adaptive", "true");
      p.put("adaptive-floor", Double.toString(a.floor()));
      p.put("adaptive-decrease", Double.toString(a.decrease()));
      p.put("adaptive-increase", Double.toString(a.increasePerSecond()));
    });
    return p;
  }
}
