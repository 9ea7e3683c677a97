package dev.ratequeue.agent.config;

import dev.ratequeue.agent.log.AgentLog;
import dev.ratequeue.agent.routing.MatchPattern;
import dev.ratequeue.coordination.ConfigurationException;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.Durations;
import dev.ratequeue.coordination.Numbers;
import dev.ratequeue.coordination.RedisUrls;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's configuration, checked as a whole: every problem is collected (see
 * {@link ConfigurationProblems}) so that one start-up reports all of them.
 */
public final class AgentConfiguration {
  private final boolean enabled;
  private final String coordinator;
  private final CoordinatorOptions options;
  private final AgentLog.Level logLevel;
  private final Map<String, ResourceConfiguration> resources;
  private final Settings settings;
  private final MetricsSettings metrics;

  private AgentConfiguration(boolean enabled, String coordinator, CoordinatorOptions options, AgentLog.Level logLevel,
      Map<String, ResourceConfiguration> resources, Settings settings, MetricsSettings metrics) {
    this.metrics = metrics;
    this.enabled = enabled;
    this.coordinator = coordinator;
    this.options = options;
    this.logLevel = logLevel;
    this.resources = resources;
    this.settings = settings;
  }

  /** From the JVM's own sources: system properties, environment, file. */
  public static AgentConfiguration load(String agentArgument, ConfigurationProblems problems) {
    return from(Settings.load(agentArgument, System.getenv(), System.getProperties(), problems), problems);
  }

  public static AgentConfiguration load(String agentArgument, Map<String, String> environment, Properties system,
      ConfigurationProblems problems) {
    return from(Settings.load(agentArgument, environment, system, problems), problems);
  }

  public static AgentConfiguration from(Settings settings, ConfigurationProblems problems) {
    problems.originsFrom(settings);
    for (String key : settings.all().keySet()) {
      boolean known = GlobalSettings.NAMES.contains(key) || key.startsWith("ratequeue.resources.")
          || (key.startsWith(GlobalSettings.INTERCEPTORS) && key.endsWith(".enabled"));
      if (!known) {
        problems.error(key, settings.get(key), "a known setting: " + String.join(", ", GlobalSettings.NAMES)
            + ", ratequeue.interceptors.<name>.enabled or ratequeue.resources.<name>.<setting>");
      }
    }
    boolean enabled = bool(settings, GlobalSettings.ENABLED, true, problems);
    AgentLog.Level level = AgentLog.Level.INFO;
    String levelText = settings.get(GlobalSettings.LOG_LEVEL);
    if (levelText != null) {
      level = AgentLog.parseLevel(levelText);
      if (level == null) {
        problems.error(GlobalSettings.LOG_LEVEL, levelText, "error, warn, info or debug");
        level = AgentLog.Level.INFO;
      }
    }
    String coordinator = settings.get(GlobalSettings.COORDINATOR, "local").trim();
    checkCoordinator(GlobalSettings.COORDINATOR, coordinator, problems);
    CoordinatorOptions options = options(settings, problems);

    Map<String, ResourceConfiguration> resources = new LinkedHashMap<>();
    settings.resources(problems).forEach((name, values) -> {
      ResourceConfiguration r = resource(name, values, coordinator, problems);
      if (r != null) {
        resources.put(name, r);
      }
    });
    return new AgentConfiguration(enabled, coordinator, options, level, Collections.unmodifiableMap(resources), settings,
        MetricsSettings.from(settings, problems));
  }

  private static ResourceConfiguration resource(String name, Map<String, String> values, String globalCoordinator,
      ConfigurationProblems problems) {
    String prefix = "ratequeue.resources." + name + ".";
    try {
      // Named by one of its keys, so that the message points at a line the user wrote.
      ResourceNames.validate(prefix + values.keySet().iterator().next(), name);
    } catch (ConfigurationException e) {
      problems.error(e);
      return null;
    }
    Map<String, String> limitValues = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (ResourceSettings.LIMITS.contains(e.getKey())) {
        limitValues.put(e.getKey(), e.getValue());
      }
    }
    ResourceLimits limits = null;
    try {
      limits = ResourceLimits.fromProperties(name, prefix, limitValues);
    } catch (ConfigurationException e) {
      problems.error(e);
    } catch (RuntimeException e) {
      problems.error(prefix + "*: " + e.getMessage());
    }
    List<MatchPattern> match = new ArrayList<>();
    String matchText = values.get(ResourceSettings.MATCH);
    if (matchText != null) {
      for (String entry : matchText.split(",")) {
        if (entry.trim().isEmpty()) {
          continue;
        }
        try {
          match.add(MatchPattern.parse(prefix + ResourceSettings.MATCH, entry));
        } catch (ConfigurationException e) {
          problems.error(e);
        }
      }
    }
    String coordinator = values.getOrDefault(ResourceSettings.COORDINATOR, globalCoordinator).trim();
    if (values.containsKey(ResourceSettings.COORDINATOR)) {
      checkCoordinator(prefix + ResourceSettings.COORDINATOR, coordinator, problems);
    }
    Duration retryAfterDefault = duration(prefix + ResourceSettings.RETRY_AFTER_DEFAULT,
        values.get(ResourceSettings.RETRY_AFTER_DEFAULT), ResourceConfiguration.DEFAULT_RETRY_AFTER, problems);
    Duration retryAfterMax = duration(prefix + ResourceSettings.RETRY_AFTER_MAX,
        values.get(ResourceSettings.RETRY_AFTER_MAX), ResourceConfiguration.DEFAULT_RETRY_AFTER_MAX, problems);
    LoadEstimator estimator = LoadEstimator.OPENAI;
    String estimatorText = values.get(ResourceSettings.LOAD_ESTIMATOR);
    if (estimatorText != null) {
      try {
        estimator = LoadEstimator.parse(prefix + ResourceSettings.LOAD_ESTIMATOR, estimatorText);
      } catch (ConfigurationException e) {
        problems.error(e);
      }
    }
    boolean reconcile = true;
    String reconcileText = values.get(ResourceSettings.RECONCILE);
    if (reconcileText != null) {
      try {
        reconcile = Numbers.parseBoolean(prefix + ResourceSettings.RECONCILE, reconcileText);
      } catch (ConfigurationException e) {
        problems.error(e);
      }
    }
    if (limits == null) {
      return null;
    }
    return new ResourceConfiguration(limits, Collections.unmodifiableList(match), coordinator, retryAfterDefault,
        retryAfterMax, estimator, reconcile);
  }

  private static void checkCoordinator(String key, String url, ConfigurationProblems problems) {
    if (url.equalsIgnoreCase("local")) {
      return;
    }
    if (!RedisUrls.wellFormed(url)) {
      problems.error(key, url, "local, or a URL redis://[user:password@]host:port[/db], rediss://… (TLS), "
          + "redis-sentinel://host:port[,host:port]#master or redis-cluster://host:port[,host:port]");
    }
  }

  private static CoordinatorOptions options(Settings settings, ConfigurationProblems problems) {
    CoordinatorOptions.Builder b = CoordinatorOptions.builder()
        .clientVersion("ratequeue-agent " + dev.ratequeue.agent.AgentInstaller.version());
    try {
      String namespace = settings.get(GlobalSettings.NAMESPACE);
      if (namespace != null) {
        b.namespace(namespace.trim());
      }
    } catch (ConfigurationException e) {
      problems.error(e);
    }
    apply(settings, GlobalSettings.LEASE_TTL, problems, b::leaseTtl);
    apply(settings, GlobalSettings.LOOKAHEAD, problems, b::lookahead);
    apply(settings, GlobalSettings.COMMAND_TIMEOUT, problems, b::commandTimeout);
    apply(settings, GlobalSettings.RECOVERY_PROBE, problems, b::recoveryProbe);
    return b.build();
  }

  private static void apply(Settings settings, String key, ConfigurationProblems problems,
      java.util.function.Function<Duration, CoordinatorOptions.Builder> setter) {
    String value = settings.get(key);
    if (value == null) {
      return;
    }
    try {
      setter.apply(Durations.parse(key, value.trim()));
    } catch (ConfigurationException e) {
      problems.error(e);
    }
  }

  private static Duration duration(String key, String value, Duration defaultValue, ConfigurationProblems problems) {
    if (value == null) {
      return defaultValue;
    }
    try {
      return Durations.parse(key, value.trim());
    } catch (ConfigurationException e) {
      problems.error(e);
      return defaultValue;
    }
  }

  private static boolean bool(Settings settings, String key, boolean defaultValue, ConfigurationProblems problems) {
    String value = settings.get(key);
    if (value == null) {
      return defaultValue;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        problems.error(key, value, "true or false");
        return defaultValue;
    }
  }

  /** {@code ratequeue.enabled}; false: the agent installs nothing. */
  public boolean enabled() {
    return enabled;
  }

  public boolean interceptorEnabled(String name, ConfigurationProblems problems) {
    return bool(settings, GlobalSettings.INTERCEPTORS + name + ".enabled", true, problems);
  }

  public String coordinator() {
    return coordinator;
  }

  public CoordinatorOptions options() {
    return options;
  }

  public AgentLog.Level logLevel() {
    return logLevel;
  }

  public Map<String, ResourceConfiguration> resources() {
    return resources;
  }

  public Settings settings() {
    return settings;
  }

  public MetricsSettings metrics() {
    return metrics;
  }
}
