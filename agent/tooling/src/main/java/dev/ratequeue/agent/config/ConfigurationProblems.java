package dev.ratequeue.agent.config;

import dev.ratequeue.coordination.ConfigurationException;
import dev.ratequeue.coordination.RedisUrls;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything wrong with a configuration, gathered so that a user sees every problem at once rather
 * than one per restart. Each names the key, the value as given (passwords masked) and what was
 * expected.
 */
public final class ConfigurationProblems {
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private Settings settings;

  /** From now on, messages say where their key was set (a system property, a variable, a file). */
  void originsFrom(Settings from) {
    this.settings = from;
  }

  public void error(String key, String value, String expected) {
    errors.add(format(key, value, expected) + origin(key));
  }

  /** A message already in the form "Invalid value for 'key': 'value'; expected …". */
  public void error(String message) {
    errors.add(message);
  }

  public void error(ConfigurationException e) {
    errors.add(e.getMessage() + origin(e.key()));
  }

  private String origin(String key) {
    String origin = settings == null || key == null ? null : settings.origin(key);
    return origin == null ? "" : " (set by " + origin + ")";
  }

  public void warning(String key, String value, String expected) {
    warnings.add(format(key, value, expected));
  }

  private static String format(String key, String value, String expected) {
    return "Invalid value for '" + key + "': '" + RedisUrls.mask(String.valueOf(value)) + "'; expected " + expected;
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public List<String> errors() {
    return Collections.unmodifiableList(errors);
  }

  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }
}
