package dev.ratequeue.agent.cli;

import dev.ratequeue.agent.AgentInstaller;
import dev.ratequeue.coordination.ConfigurationException;
import dev.ratequeue.coordination.RateQueueException;
import dev.ratequeue.coordination.RedisUrls;
import dev.ratequeue.coordination.admin.FleetAdmin;
import dev.ratequeue.coordination.admin.FleetUnreachableException;
import dev.ratequeue.coordination.admin.NotFleetWideException;
import dev.ratequeue.coordination.admin.UnknownResourceException;
import dev.ratequeue.coordination.internal.EngineLog;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code java -jar ratequeue-agent.jar <command> [--coordinator URL] [--config FILE] [--json]}: the
 * fleet, watched and steered from a shell. It reads the agent's configuration sources (see
 * {@link CliConfiguration}) and talks to the coordinator as a {@link FleetAdmin}, never as a worker.
 *
 * <p>Whatever goes wrong that a user can fix ends as one line on standard error, naming what was
 * wrong, and an exit code of {@link ExitCodes}; never a stack trace, never a password.
 */
public final class CommandLine {
  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    for (Command c : List.of(new StatusCommand(), new SetCommand(), new PauseCommand(), new ResumeCommand(),
        new ClientsCommand(), new TopCommand(), new DashboardCommand())) {
      COMMANDS.put(c.name(), c);
    }
  }

  private CommandLine() {}

  public static int run(String[] args) {
    return run(args, System.getenv(), System.getProperties(), System.out, System.err, System.in);
  }

  static int run(String[] args, Map<String, String> environment, Properties system, PrintStream out, PrintStream err,
      InputStream in) {
    // The engine's few log lines (a coordinator lost, say) would go to java.util.logging; a command
    // reports its own outcome instead.
    EngineLog.route((level, message, error) -> { });
    try {
      Arguments arguments = Arguments.parse(args);
      if (arguments.command() == null) {
        out.print(help());
        return arguments.help() || args.length == 0 ? ExitCodes.OK : ExitCodes.USAGE;
      }
      if (arguments.command().equals("help")) {
        out.print(help());
        return ExitCodes.OK;
      }
      Command command = COMMANDS.get(arguments.command());
      if (command == null) {
        throw UsageException.invalid("command", arguments.command(), "one of " + String.join(", ", COMMANDS.keySet())
            + " (see --help)");
      }
      if (arguments.help()) {
        out.print(command.help() + common());
        return ExitCodes.OK;
      }
      command.check(arguments);
      CliConfiguration configuration = CliConfiguration.load(arguments, environment, system);
      try (FleetAdmin admin = FleetAdmin.connect(configuration.coordinator(), configuration.options())) {
        int code = command.run(new Invocation(arguments, admin, configuration.options().namespace(), out, in));
        out.flush();
        return code;
      }
    } catch (UsageException | ConfigurationException | NotFleetWideException e) {
      return fail(err, e.getMessage(), ExitCodes.USAGE);
    } catch (FleetUnreachableException e) {
      return fail(err, e.getMessage(), ExitCodes.UNREACHABLE);
    } catch (UnknownResourceException e) {
      return fail(err, e.getMessage(), ExitCodes.UNKNOWN_RESOURCE);
    } catch (RateQueueException e) {
      return fail(err, e.getMessage(), ExitCodes.FAILED);
    } catch (RuntimeException e) {
      return fail(err, "unexpected error: " + describe(e), ExitCodes.FAILED);
    }
  }

  private static int fail(PrintStream err, String message, int code) {
    // Masked once more: a message that quotes a URL given in an unexpected place must not leak it.
    err.println("ratequeue: " + maskUrls(message));
    err.flush();
    return code;
  }

  /** The chain of messages, innermost last: what a bug report needs, on one line. */
  private static String describe(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
      parts.add(t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    }
    return String.join(" / ", parts);
  }

  static String maskUrls(String message) {
    StringBuilder s = new StringBuilder();
    for (String word : message.split(" ", -1)) {
      if (s.length() > 0) {
        s.append(' ');
      }
      // (Not a usage text such as "redis://[user:password@]host", which shows no password.)
      s.append(word.contains("://") && word.contains("@") && !word.contains("[") ? RedisUrls.mask(word) : word);
    }
    return s.toString();
  }

  static String help() {
    StringBuilder s = new StringBuilder("RateQueue agent " + AgentInstaller.version() + "\n\n"
        + "Attach it to a JVM:  java -javaagent:ratequeue-agent.jar[=/path/to/ratequeue.properties] …\n\n"
        + "Watch and steer the fleet:  java -jar ratequeue-agent.jar <command> [options]\n\nCommands:\n");
    for (Command c : COMMANDS.values()) {
      s.append(String.format("  %-8s %s%n", c.name(), c.summary()));
    }
    return s.append("\n").append(common())
        .append("\n<command> --help tells more about one command.\n").toString();
  }

  private static String common() {
    return "Options:\n"
        + "  --coordinator URL  the fleet's coordinator (default: ratequeue.coordinator from the usual sources)\n"
        + "  --namespace NAME   its namespace (default: ratequeue.namespace, else ratequeue)\n"
        + "  --config FILE      a properties file, as for the agent (ratequeue.configuration-file)\n"
        + "  --json             machine-readable output (status, clients, set, pause, resume)\n"
        + "Settings come from -Dratequeue.*, RATEQUEUE_* variables and the file, as for the agent.\n"
        + "Exit codes: 0 done, 1 refused by Redis (an ACL, say) or unexpected,\n"
        + "            2 bad command line or configuration, 3 coordinator unreachable, 4 unknown resource.\n";
  }
}
