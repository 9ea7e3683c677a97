package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.AdaptiveRate;
import dev.ratequeue.coordination.FailurePolicy;
import dev.ratequeue.coordination.Rate;
import dev.ratequeue.coordination.ResourceLimits;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/** Limits as stored in the resource's {@code res} hash (beside its state): {@code rn=100;rp=1000000;…}, times in microseconds. */
final class LimitsCodec {
  private LimitsCodec() {}

  static String encode(ResourceLimits l) {
    StringBuilder s = new StringBuilder();
    l.requests().ifPresent(r -> s.append("rn=").append(r.count()).append(";rp=").append(micros(r.period()))
        .append(";rb=").append(l.burst()).append(';'));
    l.load().ifPresent(r -> s.append("ln=").append(r.count()).append(";lp=").append(micros(r.period()))
        .append(";lb=").append(l.loadBurst()).append(';'));
    if (l.concurrency() > 0) {
      s.append("cc=").append(l.concurrency()).append(';');
    }
    // floor,decrease,increase per second: the script reads the three at once when the field is there.
    l.adaptive().ifPresent(a -> s.append("ad=").append(a.floor()).append(',').append(a.decrease()).append(',')
        .append(a.increasePerSecond()).append(';'));
    s.append("mw=").append(micros(l.maxWait())).append(";mh=").append(micros(l.maxHold()))
        .append(";pr=").append(l.priority()).append(";fp=").append(l.onCoordinatorFailure());
    return s.toString();
  }

  static ResourceLimits decode(String name, String encoded) {
    Map<String, String> f = new HashMap<>();
    for (String part : encoded.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        f.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    ResourceLimits.Builder b = ResourceLimits.builder(name);
    if (f.containsKey("rn")) {
      b.requests(Rate.of(Long.parseLong(f.get("rn")), duration(f.get("rp"))));
      b.burst(Long.parseLong(f.getOrDefault("rb", "0")));
    }
    if (f.containsKey("ln")) {
      b.load(Rate.of(Long.parseLong(f.get("ln")), duration(f.get("lp"))));
      b.loadBurst(Long.parseLong(f.getOrDefault("lb", "0")));
    }
    if (f.containsKey("cc")) {
      b.concurrency(Integer.parseInt(f.get("cc")));
    }
    if (f.containsKey("ad")) {
      String[] a = f.get("ad").split(",");
      b.adaptive(AdaptiveRate.of(Double.parseDouble(a[0]), Double.parseDouble(a[1]), Double.parseDouble(a[2])));
    }
    if (f.containsKey("mw")) {
      b.maxWait(duration(f.get("mw")));
    }
    if (f.containsKey("mh")) {
      b.maxHold(duration(f.get("mh")));
    }
    if (f.containsKey("pr")) {
      b.priority(Integer.parseInt(f.get("pr")));
    }
    if (f.containsKey("fp")) {
      b.onCoordinatorFailure(FailurePolicy.parse("on-coordinator-failure", f.get("fp")));
    }
    return b.build();
  }

  static long micros(Duration d) {
    return d.toNanos() / 1000;
  }

  private static Duration duration(String micros) {
    return Duration.of(Long.parseLong(micros), ChronoUnit.MICROS);
  }
}
