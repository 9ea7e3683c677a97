package dev.ratequeue.agent.llm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads one response's headers by name and turns their values into numbers and waits, setting aside (in
 * {@link #ignored}) every value that is present but unreadable. Absent and empty headers are simply absent.
 */
final class HeaderReader {
  /**
   * An {@code x-ratelimit-reset} of at least this many (2001-09-09) is epoch seconds, as GitHub sends it; a
   * smaller one is seconds from now, as many servers that copied GitHub's header names send it. No epoch
   * time below it is the end of a window still open, and no window is 31 years long.
   */
  static final long EPOCH_SECONDS_FROM = 1_000_000_000L;

  private final Function<String, String> lookup;
  private final Instant now;
  private final Duration maxReset;
  final List<Ignored> ignored = new ArrayList<>();

  HeaderReader(Function<String, String> lookup, Instant now, Duration maxReset) {
    this.lookup = lookup;
    this.now = now;
    this.maxReset = maxReset;
  }

  /** The trimmed value; {@code null} when absent, empty, or when the lookup itself failed. */
  String raw(String name) {
    String v;
    try {
      v = lookup.apply(name);
    } catch (RuntimeException e) {
      return null;
    }
    if (v == null) {
      return null;
    }
    v = v.trim();
    return v.isEmpty() ? null : v;
  }

  void ignore(String name, String value, String reason) {
    ignored.add(new Ignored(name, value, reason));
  }

  /** A count (0 or more); -1 when absent or unreadable. */
  long count(String name) {
    String v = raw(name);
    if (v == null) {
      return -1;
    }
    long n = parseCount(v);
    if (n < 0) {
      ignore(name, v, "expected a whole number, 0 or more");
    }
    return n;
  }

  /** A Go duration ({@code 6m0s}); {@code null} when absent or unreadable. */
  Duration goDuration(String name) {
    String v = raw(name);
    if (v == null) {
      return null;
    }
    return bounded(name, v, GoDuration.parse(v), "expected a duration such as 20ms, 1s, 6m0s or 1m30.5s");
  }

  /** An RFC 3339 time ({@code 2026-12-01T10:00:30Z}) as the wait until then; {@code null} when absent or unreadable. */
  Duration rfc3339(String name) {
    String v = raw(name);
    if (v == null) {
      return null;
    }
    Duration d;
    try {
      // RFC 3339 allows lower-case 't' and 'z', and a space between date and time.
      String iso = v.toUpperCase(Locale.ROOT);
      if (iso.length() > 10 && iso.charAt(10) == ' ') {
        iso = iso.substring(0, 10) + 'T' + iso.substring(11);
      }
      Instant at = OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      d = untilNow(at);
    } catch (DateTimeParseException e) {
      d = null;
    }
    return bounded(name, v, d, "expected an RFC 3339 time such as 2026-12-01T10:00:30Z");
  }

  /** Seconds from now, or epoch seconds (see {@link #EPOCH_SECONDS_FROM}); {@code null} when absent or unreadable. */
  Duration secondsOrEpoch(String name) {
    String v = raw(name);
    return v == null ? null : secondsOrEpoch(name, v);
  }

  Duration secondsOrEpoch(String name, String v) {
    BigDecimal seconds = parseDecimal(v);
    if (seconds == null) {
      ignore(name, v, "expected seconds, or epoch seconds such as 1767261630");
      return null;
    }
    if (seconds.compareTo(BigDecimal.valueOf(EPOCH_SECONDS_FROM)) < 0) {
      return secondsFromNow(name, v, seconds);
    }
    BigDecimal untilThen = seconds.subtract(BigDecimal.valueOf(now.toEpochMilli()).movePointLeft(3));
    return secondsFromNow(name, v, untilThen.signum() < 0 ? BigDecimal.ZERO : untilThen);
  }

  /**
   * Seconds from now, never an epoch time: the IETF headers' {@code reset} and {@code t}, part of the value
   * {@code shown} in a message.
   */
  Duration seconds(String name, String shown, String part, String what) {
    BigDecimal seconds = parseDecimal(part);
    if (seconds == null) {
      ignore(name, shown, what + " is not a number of seconds");
      return null;
    }
    return secondsFromNow(name, shown, seconds);
  }

  private Duration secondsFromNow(String name, String v, BigDecimal seconds) {
    if (seconds.compareTo(BigDecimal.valueOf(maxReset.getSeconds())) > 0) {
      ignore(name, v, tooFar());
      return null;
    }
    return Duration.ofMillis(seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact());
  }

  private Duration bounded(String name, String v, Duration d, String expected) {
    if (d == null) {
      ignore(name, v, expected);
      return null;
    }
    if (d.compareTo(maxReset) > 0) {
      ignore(name, v, tooFar());
      return null;
    }
    return d;
  }

  private String tooFar() {
    return "a reset more than " + maxReset.toDays() + " days away is no rate-limit window";
  }

  private Duration untilNow(Instant at) {
    Duration d = Duration.between(now, at);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** ASCII digits only (not {@code Long.parseLong}, which takes '５' for 5), at most 18 of them; else -1. */
  static long parseCount(String v) {
    if (v.isEmpty() || v.length() > 18) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** A non-negative decimal in ASCII ({@code 30}, {@code 1.5}); {@code null} otherwise. */
  static BigDecimal parseDecimal(String v) {
    if (v.isEmpty() || v.length() > 32) {
      return null;
    }
    int dots = 0;
    int digits = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '.') {
        dots++;
      } else if (c >= '0' && c <= '9') {
        digits++;
      } else {
        return null;
      }
    }
    if (dots > 1 || digits == 0 || v.startsWith(".") || v.endsWith(".")) {
      return null;
    }
    return new BigDecimal(v);
  }
}
