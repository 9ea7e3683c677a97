package dev.ratequeue.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Every {@code ratequeue.*} setting the agent was given, merged from its three sources with the
 * OpenTelemetry agent's precedence: a system property ({@code -Dratequeue.<key>}) beats an
 * environment variable ({@code RATEQUEUE_<KEY>}, the key upper-cased, '.' and '-' as '_'), which
 * beats the properties file. The file is named by {@code ratequeue.configuration-file} (as a system
 * property or environment variable) or else by the agent argument
 * ({@code -javaagent:ratequeue-agent.jar=/etc/ratequeue.properties}).
 *
 * <p>An environment variable cannot tell '.', '-' and '_' apart, so it is matched against the keys
 * the other sources and the list of known settings name; see {@link EnvironmentKeys}.
 */
public final class Settings {
  public static final String PREFIX = "ratequeue.";
  public static final String CONFIGURATION_FILE = "ratequeue.configuration-file";

  private final Map<String, String> values;
  private final Map<String, String> origins;

  private Settings(Map<String, String> values, Map<String, String> origins) {
    this.values = values;
    this.origins = origins;
  }

  /** Reads the file too; a file that cannot be read is a problem, reported with the rest. */
  public static Settings load(String agentArgument, Map<String, String> environment, Properties systemProperties,
      ConfigurationProblems problems) {
    Map<String, String> system = new TreeMap<>();
    for (String name : systemProperties.stringPropertyNames()) {
      if (name.startsWith(PREFIX)) {
        system.put(name, systemProperties.getProperty(name));
      }
    }
    Map<String, String> fileValues = new TreeMap<>();
    String fileOrigin = null;
    String file = system.get(CONFIGURATION_FILE);
    String fileKey = "-D" + CONFIGURATION_FILE;
    if (file == null) {
      file = environment.get(EnvironmentKeys.variableOf(CONFIGURATION_FILE));
      fileKey = EnvironmentKeys.variableOf(CONFIGURATION_FILE);
    }
    if (file == null && agentArgument != null && !agentArgument.trim().isEmpty()) {
      file = agentArgument.trim();
      fileKey = "the agent argument (-javaagent:ratequeue-agent.jar=<file>)";
    }
    if (file != null) {
      fileOrigin = "file " + file;
      readFile(file, fileKey, fileValues, problems);
    }

    Map<String, String> values = new TreeMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : fileValues.entrySet()) {
      values.put(e.getKey(), e.getValue());
      origins.put(e.getKey(), fileOrigin);
    }
    EnvironmentKeys.resolve(environment, values.keySet(), system.keySet(), problems).forEach((key, variable) -> {
      values.put(key, environment.get(variable));
      origins.put(key, "environment variable " + variable);
    });
    system.forEach((k, v) -> {
      values.put(k, v);
      origins.put(k, "system property -D" + k);
    });
    return new Settings(Collections.unmodifiableMap(values), origins);
  }

  private static void readFile(String file, String namedBy, Map<String, String> into, ConfigurationProblems problems) {
    Path path = Paths.get(file);
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      problems.error(CONFIGURATION_FILE, file, "a readable properties file (named by " + namedBy + "); it does not exist");
      return;
    } catch (IOException | IllegalArgumentException e) {
      problems.error(CONFIGURATION_FILE, file, "a readable properties file (named by " + namedBy + "); " + e);
      return;
    }
    for (String name : properties.stringPropertyNames()) {
      String value = properties.getProperty(name).trim();
      if (name.startsWith(PREFIX)) {
        into.put(name, value);
      } else {
        problems.error(name, value, "a key starting with 'ratequeue.' (set by file " + file + ")");
      }
    }
  }

  /** Only for tests and tools: settings given directly, as if from a file. */
  public static Settings of(Map<String, String> values) {
    Map<String, String> origins = new LinkedHashMap<>();
    values.keySet().forEach(k -> origins.put(k, "test"));
    return new Settings(Collections.unmodifiableMap(new TreeMap<>(values)), origins);
  }

  public String get(String key) {
    return values.get(key);
  }

  public String get(String key, String defaultValue) {
    String v = values.get(key);
    return v == null ? defaultValue : v;
  }

  public Map<String, String> all() {
    return values;
  }

  /** Where the value of {@code key} came from, for messages: "system property -D…", "file …". */
  public String origin(String key) {
    return origins.get(key);
  }

  /** {@code ratequeue.resources.<name>.<setting>} keys, grouped by resource name, in order of name. */
  public Map<String, Map<String, String>> resources(ConfigurationProblems problems) {
    Map<String, Map<String, String>> byName = new TreeMap<>();
    String prefix = PREFIX + "resources.";
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(prefix)) {
        continue;
      }
      String rest = key.substring(prefix.length());
      String setting = EnvironmentKeys.settingSuffix(rest);
      if (setting == null) {
        problems.error(key, e.getValue(), "ratequeue.resources.<name>.<setting> with a setting among "
            + String.join(", ", ResourceSettings.NAMES));
        continue;
      }
      String name = rest.substring(0, rest.length() - setting.length() - 1);
      byName.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(setting, e.getValue());
    }
    return byName;
  }
}
