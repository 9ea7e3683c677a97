package dev.ratequeue.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Counting events in sliding windows. */
final class Windows {
  private Windows() {}

  /** The largest count, and where it starts, over every half-open window {@code [t, t + width)}. */
  static final class Max {
    final int count;
    final long startMicros;

    Max(int count, long startMicros) {
      this.count = count;
      this.startMicros = startMicros;
    }

    @Override
    public String toString() {
      return count + " (window starting at " + startMicros + " us)";
    }
  }

  /**
   * Slides a window of {@code widthMicros} over the events: the busiest window always starts at an event, so
   * trying each event as a start is exhaustive. Half-open, as a rate limit is: with a limit of N per second
   * and no burst, grant 1 and grant N+1 are exactly one second apart and never both inside one window.
   */
  static Max max(long[] timesMicros, long widthMicros) {
    long[] t = timesMicros.clone();
    Arrays.sort(t);
    int best = 0;
    long bestStart = t.length > 0 ? t[0] : 0;
    int end = 0;
    for (int start = 0; start < t.length; start++) {
      while (end < t.length && t[end] < t[start] + widthMicros) {
        end++;
      }
      if (end - start > best) {
        best = end - start;
        bestStart = t[start];
      }
    }
    return new Max(best, bestStart);
  }

  /** The total length of the union of {@code intervals} ({from, to} pairs), clipped to {@code [from, to)}. */
  static long coveredMicros(List<long[]> intervals, long from, long to) {
    List<long[]> sorted = new ArrayList<>(intervals);
    sorted.sort(Comparator.comparingLong(i -> i[0]));
    long covered = 0;
    long reach = from;
    for (long[] i : sorted) {
      long start = Math.max(i[0], reach);
      long end = Math.min(i[1], to);
      if (end > start) {
        covered += end - start;
        reach = end;
      }
    }
    return covered;
  }

  /** How many of {@code timesMicros} fall in {@code [fromMicros, toMicros)}. */
  static int count(long[] timesMicros, long fromMicros, long toMicros) {
    int n = 0;
    for (long t : timesMicros) {
      if (t >= fromMicros && t < toMicros) {
        n++;
      }
    }
    return n;
  }
}
