package dev.ratequeue.it;

import java.util.ArrayList;
import java.util.List;

/** One {@code GRANT} line of a {@link PermitWorker}, with the name of the worker that printed it. */
final class Grant {
  final String worker;
  /** {@code Permit.grantedAt()}: the coordinator's clock, epoch microseconds. */
  final long grantedAtMicros;
  final int priority;
  final long seq;
  /** When {@code acquire} returned in the worker (its clock), epoch microseconds. */
  final long returnedMicros;
  /** R = granted by Redis, L = by the in-JVM fallback share, U = unlimited (policy allow). */
  final char source;
  final long waitedMicros;

  private Grant(String worker, String[] f) {
    this.worker = worker;
    this.grantedAtMicros = Long.parseLong(f[1]);
    this.priority = Integer.parseInt(f[2]);
    this.seq = Long.parseLong(f[3]);
    this.returnedMicros = Long.parseLong(f[4]);
    this.source = f[5].charAt(0);
    this.waitedMicros = Long.parseLong(f[6]);
  }

  static List<Grant> parse(String worker, List<String> lines) {
    List<Grant> grants = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("GRANT ")) {
        grants.add(new Grant(worker, line.split(" ")));
      }
    }
    return grants;
  }

  @Override
  public String toString() {
    return worker + " p" + priority + " #" + seq + " at " + grantedAtMicros + " (" + source + ")";
  }
}
