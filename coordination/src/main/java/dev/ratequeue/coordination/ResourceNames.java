package dev.ratequeue.coordination;

import java.util.regex.Pattern;

/** Resource names become part of Redis keys: the pattern keeps them inside their namespace. */
public final class ResourceNames {
  public static final String PATTERN_TEXT = "[a-z0-9][a-z0-9._-]{0,63}";
  private static final Pattern PATTERN = Pattern.compile(PATTERN_TEXT);

  private ResourceNames() {}

  public static String validate(String key, String name) {
    if (name == null || !PATTERN.matcher(name).matches()) {
      throw new ConfigurationException(key, String.valueOf(name),
          "a resource name matching " + PATTERN_TEXT + " (lower-case letters, digits, '.', '_', '-'; at most 64)");
    }
    return name;
  }
}
