package dev.ratequeue.agent.llm;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A duration written the way Go's {@code time.Duration.String()} writes it, which is how OpenAI (and the
 * OpenAI-compatible servers written in Go) send {@code x-ratelimit-reset-*}: {@code 20ms}, {@code 1s},
 * {@code 0.5s}, {@code 1m30.5s}, {@code 6m0s}, {@code 2h0m0s}. Units {@code ns}, {@code us} ({@code µs},
 * {@code μs}), {@code ms}, {@code s}, {@code m}, {@code h}, each number with an optional fraction.
 *
 * <p>Unlike Go, a bare number is taken as seconds ({@code 30}) because servers that copied the header
 * names did not all copy the format; and a sign is refused, since a reset cannot be in the past.
 */
final class GoDuration {
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  private GoDuration() {}

  /** The duration; {@code null} when {@code text} is not one (or is beyond what a {@link Duration} holds). */
  static Duration parse(String text) {
    if (text == null) {
      return null;
    }
    String s = text.trim();
    if (s.isEmpty() || s.length() > 64) {
      return null;
    }
    BigDecimal nanos = isPlainNumber(s) ? seconds(s) : sumOfUnits(s);
    if (nanos == null) {
      return null;
    }
    BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(NANOS_PER_SECOND);
    try {
      // Go truncates below a nanosecond; so do we.
      return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static boolean isPlainNumber(String s) {
    char last = s.charAt(s.length() - 1);
    return last == '.' || (last >= '0' && last <= '9');
  }

  private static BigDecimal seconds(String s) {
    BigDecimal n = number(s, 0, s.length());
    return n == null ? null : n.multiply(NANOS_PER_SECOND);
  }

  private static BigDecimal sumOfUnits(String s) {
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      BigDecimal n = number(s, start, i);
      if (n == null) {
        return null;
      }
      int unitStart = i;
      while (i < s.length() && !isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      long unitNanos = unitNanos(s.substring(unitStart, i));
      if (unitNanos < 0) {
        return null;
      }
      total = total.add(n.multiply(BigDecimal.valueOf(unitNanos)));
    }
    return total;
  }

  /** Digits with at most one dot and at least one digit, as Go allows ({@code 1.}, {@code .5}). */
  private static BigDecimal number(String s, int from, int to) {
    boolean digit = false;
    int dots = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        dots++;
      } else if (isDigit(c)) {
        digit = true;
      } else {
        return null;
      }
    }
    if (!digit || dots > 1) {
      return null;
    }
    String n = s.substring(from, to);
    if (n.startsWith(".")) {
      n = "0" + n;
    }
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    return new BigDecimal(n);
  }

  private static boolean isDigit(char c) {
    // Not Character.isDigit: '５' (fullwidth five) is a digit to it, and to no server.
    return c >= '0' && c <= '9';
  }

  private static long unitNanos(String unit) {
    switch (unit) {
      case "ns":
        return 1L;
      case "us":
      case "\u00b5s":
      case "\u03bcs":
        return 1_000L;
      case "ms":
        return 1_000_000L;
      case "s":
        return 1_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "h":
        return 3_600_000_000_000L;
      default:
        return -1;
    }
  }
}
