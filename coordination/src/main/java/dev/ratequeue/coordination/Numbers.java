package dev.ratequeue.coordination;

/** Number and switch settings, with errors that name the key, the value and the accepted range. */
public final class Numbers {
  private Numbers() {}

  static int parseInt(String key, String value, int min, int max) {
    return (int) parseLong(key, value, min, max);
  }

  static long parseLong(String key, String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value == null ? "" : value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key, value, range(min, max));
    }
    if (n < min || n > max) {
      throw new ConfigurationException(key, value, range(min, max));
    }
    return n;
  }

  /** {@code true}/{@code on} or {@code false}/{@code off}, any case; anything else names {@code key} in its error. */
  public static boolean parseBoolean(String key, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
    if (v.equals("true") || v.equals("on")) {
      return true;
    }
    if (v.equals("false") || v.equals("off")) {
      return false;
    }
    throw new ConfigurationException(key, value, "true or false");
  }

  /** A share of a whole: {@code 0.7} or {@code 70%}; above 0 (or at 0 if {@code zeroAllowed}), at most 1. */
  static double parseFraction(String key, String value, boolean zeroAllowed) {
    String v = value == null ? "" : value.trim();
    double d;
    try {
      d = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1).trim()) / 100 : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      d = Double.NaN;
    }
    if (Double.isNaN(d) || d > 1 || d < 0 || (d == 0 && !zeroAllowed)) {
      throw new ConfigurationException(key, value, "a share " + (zeroAllowed ? "from 0" : "above 0")
          + " to 1, e.g. 0.05 or 5%");
    }
    return d;
  }

  private static String range(long min, long max) {
    if (max >= Integer.MAX_VALUE && min == 0) {
      return "a whole number >= 0";
    }
    if (max >= Integer.MAX_VALUE && min == 1) {
      return "a whole number >= 1";
    }
    return "a whole number from " + min + " to " + max;
  }
}
