package dev.ratequeue.agent.dashboard;

import java.util.function.Supplier;

/**
 * The fleet's status, asked of the coordinator at most twice a second however many pages are open: each
 * page polls every second, and a reading costs one script call per resource.
 */
final class StatusCache {
  static final long MAX_AGE_NANOS = 500_000_000L;

  private final Supplier<byte[]> source;
  private byte[] last;
  private long readAtNanos;

  StatusCache(Supplier<byte[]> source) {
    this.source = source;
  }

  synchronized byte[] get() {
    long now = System.nanoTime();
    if (last == null || now - readAtNanos >= MAX_AGE_NANOS) {
      last = source.get();
      readAtNanos = now;
    }
    return last;
  }
}
