package dev.ratequeue.agent.cli;

import dev.ratequeue.coordination.ResourceLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Limits and numbers in the few characters a table column has. */
final class LimitsText {
  private LimitsText() {}

  /** {@code 450/1m+10 · 30000/1m · ≤20}: requests (and burst), load, concurrency; "-" for none. */
  static String requests(ResourceLimits l) {
    return l.requests().map(r -> r + (l.burst() > 0 ? "+" + l.burst() : "")).orElse("-");
  }

  static String load(ResourceLimits l) {
    return l.load().map(r -> r + (l.loadBurst() > 0 ? "+" + l.loadBurst() : "")).orElse("-");
  }

  /** Every limit, as {@code key=value} the way {@code set} takes them. */
  static String all(ResourceLimits l) {
    List<String> parts = new ArrayList<>();
    LimitsEdit.properties(l).forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(" ", parts);
  }

  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value);
  }

  /** {@code 59m59s}, {@code 1h}, {@code 12s}: rounded up to the second, so a pause never reads 0s. */
  static String remaining(java.time.Duration d) {
    long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long sec = seconds % 60;
    StringBuilder s = new StringBuilder();
    if (h > 0) {
      s.append(h).append('h');
    }
    if (m > 0) {
      s.append(m).append('m');
    }
    if (sec > 0 || s.length() == 0) {
      s.append(sec).append('s');
    }
    return s.toString();
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }
}
