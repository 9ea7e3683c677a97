package dev.ratequeue.agent.cli;

import dev.ratequeue.agent.config.AgentConfiguration;
import dev.ratequeue.agent.config.ConfigurationProblems;
import dev.ratequeue.agent.config.Settings;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.RedisUrls;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Which coordinator the command line talks to, read from the agent's own sources (system
 * properties, {@code RATEQUEUE_*} environment, the file of {@code ratequeue.configuration-file}),
 * so that the namespace, TLS and ACL credentials of the fleet apply as they do in its JVMs. The
 * options {@code --coordinator}, {@code --namespace} and {@code --config} beat all of them.
 */
final class CliConfiguration {
  private final String coordinator;
  private final CoordinatorOptions options;

  private CliConfiguration(String coordinator, CoordinatorOptions options) {
    this.coordinator = coordinator;
    this.options = options;
  }

  static CliConfiguration load(Arguments arguments, Map<String, String> environment, Properties systemProperties) {
    Properties system = new Properties();
    system.putAll(systemProperties);
    if (arguments.coordinator() != null) {
      String url = arguments.coordinator().trim();
      if (!url.equalsIgnoreCase("local") && !RedisUrls.wellFormed(url)) {
        throw UsageException.invalid("--coordinator", RedisUrls.mask(url), "a Redis URL such as "
            + "redis://[user:password@]host:port[/db], rediss://host:port, redis-sentinel://host:port[,host:port]#master "
            + "or redis-cluster://host:port[,host:port]");
      }
      system.setProperty("ratequeue.coordinator", url);
    }
    if (arguments.namespace() != null) {
      system.setProperty("ratequeue.namespace", arguments.namespace());
    }
    if (arguments.config() != null) {
      system.setProperty(Settings.CONFIGURATION_FILE, arguments.config());
    }
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration config = AgentConfiguration.load(null, environment, system, problems);
    if (problems.hasErrors()) {
      List<String> errors = problems.errors();
      throw new UsageException(errors.get(0) + (errors.size() > 1 ? " (and " + (errors.size() - 1)
          + " more configuration error(s))" : ""));
    }
    return new CliConfiguration(config.coordinator(), config.options());
  }

  /** The URL as configured, credentials included: never print it, print {@link RedisUrls#mask} of it. */
  String coordinator() {
    return coordinator;
  }

  CoordinatorOptions options() {
    return options;
  }
}
