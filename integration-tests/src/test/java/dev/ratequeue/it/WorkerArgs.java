package dev.ratequeue.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code key=value} command line of one {@link PermitWorker}; copy it to vary one worker from another. */
final class WorkerArgs {
  private final Map<String, String> values = new LinkedHashMap<>();

  private WorkerArgs() {}

  static WorkerArgs of(String coordinator, String namespace, String resource) {
    return new WorkerArgs().set("coordinator", coordinator).set("namespace", namespace).set("resource", resource);
  }

  WorkerArgs set(String key, Object value) {
    values.put(key, String.valueOf(value));
    return this;
  }

  WorkerArgs copy() {
    WorkerArgs c = new WorkerArgs();
    c.values.putAll(values);
    return c;
  }

  String[] toArray() {
    List<String> out = new ArrayList<>();
    values.forEach((k, v) -> out.add(k + "=" + v));
    return out.toArray(new String[0]);
  }

  @Override
  public String toString() {
    return String.join(" ", toArray());
  }
}
