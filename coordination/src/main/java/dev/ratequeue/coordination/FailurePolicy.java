package dev.ratequeue.coordination;

import java.util.Locale;

/** What a resource does while its coordinator cannot be reached ({@code on-coordinator-failure}). */
public enum FailurePolicy {
  /** Enforce this JVM's share of the limits in-process: limit ÷ the last known number of live clients. */
  LOCAL,
  /** Let every call through unlimited. */
  ALLOW,
  /** Fail every call with {@link CoordinatorUnavailableException}. */
  FAIL;

  public static FailurePolicy parse(String key, String value) {
    String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (FailurePolicy p : values()) {
      if (p.name().toLowerCase(Locale.ROOT).equals(text)) {
        return p;
      }
    }
    throw new ConfigurationException(key, value, "one of local, allow, fail");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
