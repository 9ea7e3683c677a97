package dev.ratequeue.agent.cli;

import dev.ratequeue.coordination.ResourceSnapshot;
import dev.ratequeue.coordination.admin.LimitsOrigin;
import dev.ratequeue.coordination.admin.ResourceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code status} as text: one line per resource, columns as wide as their widest value (about 90
 * characters for usual names and limits), and a line for the queue by priority where calls wait.
 */
final class StatusTable {
  private static final String[] HEADERS = {"RESOURCE", "REQUESTS", "LOAD", "IN FLIGHT", "QUEUE", "GRANT/S",
      "LOAD/S", "UTIL", "PAUSED", "JVMS"};

  private StatusTable() {}

  static String render(FleetStatus status) {
    StringBuilder out = new StringBuilder();
    out.append("coordinator ").append(status.coordinator).append("  namespace ").append(status.namespace)
        .append("  live JVMs ").append(status.clients.size()).append('\n');
    if (status.resources.isEmpty()) {
      return out.append("no resources yet: a resource appears once a JVM has used it\n").toString();
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    boolean anyLive = false;
    for (ResourceState r : status.resources) {
      ResourceSnapshot s = r.snapshot();
      boolean live = r.origin() == LimitsOrigin.LIVE;
      anyLive |= live;
      rows.add(new String[] {
          r.resource() + (live ? "*" : ""),
          LimitsText.requests(r.limits()),
          LimitsText.load(r.limits()),
          s.inFlight() + (r.limits().concurrency() > 0 ? "/" + r.limits().concurrency() : ""),
          Long.toString(s.queueDepth()),
          LimitsText.number(s.grantedPerSecond()),
          LimitsText.number(s.loadPerSecond()),
          LimitsText.percent(s.utilization()),
          s.paused() ? LimitsText.remaining(s.pausedFor()) : "-",
          Integer.toString(s.liveClients())});
    }
    int[] widths = new int[HEADERS.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean numeric = i >= 3;
        String cell = numeric && r > 0 ? pad(row[i], widths[i], true) : pad(row[i], widths[i], false);
        line.append(cell).append(i < row.length - 1 ? "  " : "");
      }
      out.append(line.toString().replaceAll("\\s+$", "")).append('\n');
      if (r > 0) {
        Map<Integer, Long> byPriority = status.resources.get(r - 1).snapshot().queueDepthByPriority();
        if (byPriority.size() > 1 || (byPriority.size() == 1 && !byPriority.containsKey(0))) {
          StringBuilder q = new StringBuilder("  waiting by priority:");
          byPriority.forEach((priority, count) -> q.append(' ').append(priority).append('=').append(count));
          out.append(q).append('\n');
        }
      }
    }
    if (anyLive) {
      out.append("* limits set live: they win over every JVM's configuration until reset (set <resource> --reset)\n");
    }
    return out.toString();
  }

  private static String pad(String text, int width, boolean right) {
    StringBuilder s = new StringBuilder();
    if (right) {
      s.append(" ".repeat(width - text.length())).append(text);
    } else {
      s.append(text).append(" ".repeat(width - text.length()));
    }
    return s.toString();
  }
}
