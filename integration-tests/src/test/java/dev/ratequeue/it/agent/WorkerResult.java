package dev.ratequeue.it.agent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a worker reported on its DONE line, and the errors it printed. */
final class WorkerResult {
  final String name;
  final long sent;
  final long ok;
  final long refused;
  final long denied;
  final long failed;
  final long other;
  final List<String> errors;

  private WorkerResult(String name, Map<String, Long> counts, List<String> errors) {
    this.name = name;
    this.sent = counts.getOrDefault("sent", 0L);
    this.ok = counts.getOrDefault("ok", 0L);
    this.refused = counts.getOrDefault("s429", 0L);
    this.denied = counts.getOrDefault("denied", 0L);
    this.failed = counts.getOrDefault("failed", 0L);
    this.other = counts.getOrDefault("other", 0L);
    this.errors = errors;
  }

  static WorkerResult parse(String name, String doneLine, List<String> output) {
    Map<String, Long> counts = new HashMap<>();
    for (String field : doneLine.substring("DONE".length()).trim().split(" ")) {
      int eq = field.indexOf('=');
      counts.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
    }
    List<String> errors = output.stream().filter(l -> l.startsWith("ERROR") || l.startsWith("DENIED"))
        .collect(Collectors.toList());
    return new WorkerResult(name, counts, errors);
  }

  @Override
  public String toString() {
    return name + ": sent=" + sent + " ok=" + ok + " 429=" + refused + " denied=" + denied + " failed=" + failed
        + " other=" + other + (errors.isEmpty() ? "" : " " + errors);
  }
}
