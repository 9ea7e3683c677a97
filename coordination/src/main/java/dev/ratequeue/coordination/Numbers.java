package dev.ratequeue.coordination;

/** Integer settings, with errors that name the key, the value and the accepted range. */
final class Numbers {
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
