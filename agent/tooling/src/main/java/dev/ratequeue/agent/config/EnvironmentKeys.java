package dev.ratequeue.agent.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Environment variables as settings. {@code ratequeue.resources.my-api.max-wait} is
 * {@code RATEQUEUE_RESOURCES_MY_API_MAX_WAIT}; since '.', '-' and '_' all become '_', a variable is
 * first matched against keys the file or a system property already names, then against the known
 * settings: {@code RATEQUEUE_RESOURCES_<NAME>_<SETTING>} for a resource defined only in the
 * environment gets the name {@code <NAME>} in lower case, underscores kept.
 */
final class EnvironmentKeys {
  private static final String PREFIX = "RATEQUEUE_";
  private static final String RESOURCES = "RATEQUEUE_RESOURCES_";

  private EnvironmentKeys() {}

  static String variableOf(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The setting {@code rest} (what follows {@code ratequeue.resources.}) ends with, or {@code null}. */
  static String settingSuffix(String rest) {
    for (String setting : ResourceSettings.NAMES) {
      if (rest.endsWith("." + setting) && rest.length() > setting.length() + 1) {
        return setting;
      }
    }
    return null;
  }

  /** Key → the variable that sets it, for every {@code RATEQUEUE_*} variable. */
  static Map<String, String> resolve(Map<String, String> environment, Collection<String> fileKeys,
      Collection<String> systemKeys, ConfigurationProblems problems) {
    Map<String, String> known = new LinkedHashMap<>();
    Set<String> candidates = new TreeSet<>(fileKeys);
    candidates.addAll(systemKeys);
    candidates.addAll(GlobalSettings.NAMES);
    for (String key : candidates) {
      known.put(variableOf(key), key);
    }
    // Resources any source names, so that RATEQUEUE_RESOURCES_MY_API_REQUESTS reaches 'my-api'.
    Map<String, String> resourceNames = new LinkedHashMap<>();
    for (String key : candidates) {
      if (key.startsWith("ratequeue.resources.")) {
        String rest = key.substring("ratequeue.resources.".length());
        String setting = settingSuffix(rest);
        if (setting != null) {
          String name = rest.substring(0, rest.length() - setting.length() - 1);
          resourceNames.put(variableOf(name), name);
        }
      }
    }
    Map<String, String> resolved = new LinkedHashMap<>();
    for (String variable : new TreeSet<>(environment.keySet())) {
      if (!variable.startsWith(PREFIX)) {
        continue;
      }
      String key = known.get(variable);
      if (key == null && variable.startsWith(RESOURCES)) {
        key = resourceKey(variable.substring(RESOURCES.length()), resourceNames);
      }
      if (key == null && variable.startsWith("RATEQUEUE_INTERCEPTORS_") && variable.endsWith("_ENABLED")) {
        String name = variable.substring("RATEQUEUE_INTERCEPTORS_".length(), variable.length() - "_ENABLED".length());
        key = GlobalSettings.INTERCEPTORS + name.toLowerCase(Locale.ROOT).replace('_', '-') + ".enabled";
      }
      if (key == null) {
        problems.warning(variable, environment.get(variable), "an environment variable naming a RateQueue setting "
            + "(RATEQUEUE_ + the key upper-cased, '.' and '-' as '_'); it is ignored");
        continue;
      }
      resolved.put(key, variable);
    }
    return resolved;
  }

  private static String resourceKey(String rest, Map<String, String> resourceNames) {
    for (String setting : ResourceSettings.NAMES) {
      String suffix = "_" + variableOf(setting);
      if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
        String envName = rest.substring(0, rest.length() - suffix.length());
        String name = resourceNames.getOrDefault(envName, envName.toLowerCase(Locale.ROOT));
        return "ratequeue.resources." + name + "." + setting;
      }
    }
    return null;
  }
}
