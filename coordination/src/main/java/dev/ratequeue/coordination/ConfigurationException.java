package dev.ratequeue.coordination;

/**
 * A setting a user wrote is unusable. The message always names the key, the value as given and
 * what was expected, because that is all a user needs to fix it.
 */
public final class ConfigurationException extends RateQueueException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String value;

  public ConfigurationException(String key, String value, String expected) {
    super("Invalid value for '" + key + "': '" + value + "'; expected " + expected);
    this.key = key;
    this.value = value;
  }

  public String key() {
    return key;
  }

  public String value() {
    return value;
  }
}
