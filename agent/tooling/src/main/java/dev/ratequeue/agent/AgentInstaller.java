package dev.ratequeue.agent;

import dev.ratequeue.agent.config.AgentConfiguration;
import dev.ratequeue.agent.config.ConfigurationProblems;
import dev.ratequeue.agent.gate.AgentBridge;
import dev.ratequeue.agent.install.Installer;
import dev.ratequeue.agent.log.AgentLog;
import dev.ratequeue.agent.log.EngineLogging;
import dev.ratequeue.bootstrap.RateQueueBridge;
import dev.ratequeue.coordination.RedisUrls;
import dev.ratequeue.interceptors.InterceptorModule;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Starts the agent inside its own class loader: reads and checks the configuration, installs the
 * bridge and the interceptors, then connects to the coordinators in the background so that the
 * application's start-up never waits for Redis.
 *
 * <p>A configuration with errors disables the agent: every problem is printed at once, each naming
 * the key, the value and what was expected, and the application runs without rate limiting rather
 * than with limits nobody meant.
 */
public final class AgentInstaller {
  private AgentInstaller() {}

  public static void install(Instrumentation instrumentation, String agentArgs, ClassLoader agentLoader) {
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration config = AgentConfiguration.load(agentArgs, problems);
    AgentLog.configure(config.logLevel());
    AgentLog log = AgentLog.get();
    EngineLogging.install();
    for (String warning : problems.warnings()) {
      log.warn(warning);
    }
    List<InterceptorModule> modules = new ArrayList<>();
    for (InterceptorModule module : Interceptors.all()) {
      if (config.interceptorEnabled(module.name(), problems)) {
        modules.add(module);
      }
    }
    if (problems.hasErrors()) {
      for (String error : problems.errors()) {
        log.error(error);
      }
      log.error("RateQueue agent " + version() + " is disabled: " + problems.errors().size()
          + " configuration error(s) above. The application runs without rate limiting.");
      return;
    }
    if (!config.enabled()) {
      log.info("RateQueue agent " + version() + " is disabled (ratequeue.enabled = false)");
      return;
    }
    if (config.resources().isEmpty()) {
      log.warn("No resource is configured (ratequeue.resources.<name>.match and a limit): nothing will be limited. "
          + "Name the properties file with -javaagent:ratequeue-agent.jar=<file> or -Dratequeue.configuration-file.");
    }
    AgentBridge bridge = new AgentBridge(config, version());
    RateQueueBridge.install(bridge);
    Installer.install(instrumentation, modules, agentLoader);
    Thread warmUp = new Thread(bridge::warmUp, "ratequeue-start");
    warmUp.setDaemon(true);
    warmUp.setContextClassLoader(agentLoader);
    warmUp.start();
    Runtime.getRuntime().addShutdownHook(new Thread(bridge::close, "ratequeue-shutdown"));
    log.info("RateQueue agent " + version() + ": " + config.resources().size() + " resource(s) "
        + config.resources().keySet() + " through " + RedisUrls.mask(config.coordinator()));
  }

  public static String version() {
    try (InputStream in = AgentInstaller.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "(unknown version)");
    } catch (IOException e) {
      return "(unknown version)";
    }
  }
}
