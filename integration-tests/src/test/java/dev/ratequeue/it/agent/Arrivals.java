package dev.ratequeue.it.agent;

import dev.ratequeue.testing.StrictUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Writes what the upstream saw to {@code target/upstream/<name>.txt}, for a human chasing a failure. */
final class Arrivals {
  private Arrivals() {}

  static void save(String name, List<StrictUpstream.Arrival> arrivals) {
    if (arrivals.isEmpty()) {
      return;
    }
    long first = arrivals.get(0).nanos;
    List<String> lines = new ArrayList<>();
    lines.add("# ms-since-first path tag worker status");
    for (StrictUpstream.Arrival a : arrivals) {
      lines.add(String.format("%.3f %s %s %s %d", (a.nanos - first) / 1e6, a.path, a.tag, a.worker, a.status));
    }
    try {
      Path dir = Paths.get("target", "upstream");
      Files.createDirectories(dir);
      Files.write(dir.resolve(name + ".txt"), lines);
    } catch (IOException e) {
      System.err.println("could not save the upstream's arrivals: " + e);
    }
  }
}
