package dev.ratequeue.coordination.local;

/** Grants and load of the last whole second, for snapshots. Not thread-safe: used under the resource lock. */
final class SecondCounter {
  private static final long SECOND = 1_000_000_000L;
  private long second = Long.MIN_VALUE;
  private long grants;
  private long load;
  private long previousGrants;
  private long previousLoad;

  void add(long nanos, long grantCount, long loadUnits) {
    roll(nanos);
    grants += grantCount;
    load += loadUnits;
  }

  long previousGrants(long nanos) {
    roll(nanos);
    return previousGrants;
  }

  long previousLoad(long nanos) {
    roll(nanos);
    return previousLoad;
  }

  private void roll(long nanos) {
    long now = Math.floorDiv(nanos, SECOND);
    if (now == second) {
      return;
    }
    boolean adjacent = now == second + 1;
    previousGrants = adjacent ? grants : 0;
    previousLoad = adjacent ? load : 0;
    grants = 0;
    load = 0;
    second = now;
  }
}
