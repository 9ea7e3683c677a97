package dev.ratequeue.agent.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A command line split into the command, its positional arguments and the options, which may come
 * anywhere: {@code status --json}, {@code --coordinator redis://r:6379 set openai requests=10/s}.
 */
final class Arguments {
  static final String COORDINATOR = "--coordinator";
  static final String NAMESPACE = "--namespace";
  static final String CONFIG = "--config";
  static final String ITERATIONS = "--iterations";
  static final String INTERVAL = "--interval";
  static final String PORT = "--port";
  static final String HOST = "--host";
  static final List<String> WITH_VALUE = List.of(COORDINATOR, NAMESPACE, CONFIG, ITERATIONS, INTERVAL, PORT, HOST);
  static final List<String> FLAGS = List.of("--json", "--help", "-h", "--reset");

  private String command;
  private final List<String> positional = new ArrayList<>();
  private String coordinator;
  private String namespace;
  private String config;
  private String iterations;
  private String interval;
  private String port;
  private String host;
  private boolean json;
  private boolean help;
  private boolean reset;

  static Arguments parse(String[] args) {
    Arguments a = new Arguments();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      String option = arg;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0 && WITH_VALUE.contains(arg.substring(0, eq))) {
        option = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (WITH_VALUE.contains(option)) {
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new UsageException("Option " + option + " needs a value, e.g. " + example(option));
          }
          value = args[++i];
        }
        a.set(option, value);
      } else if (arg.equals("--json")) {
        a.json = true;
      } else if (arg.equals("--help") || arg.equals("-h")) {
        a.help = true;
      } else if (arg.equals("--reset")) {
        a.reset = true;
      } else if (arg.startsWith("-") && !arg.equals("-")) {
        throw UsageException.invalid("option", arg, "one of " + String.join(", ", WITH_VALUE) + " <value>, "
            + String.join(", ", FLAGS) + " (see --help)");
      } else if (a.command == null) {
        a.command = arg;
      } else {
        a.positional.add(arg);
      }
    }
    return a;
  }

  private void set(String option, String value) {
    switch (option) {
      case COORDINATOR:
        coordinator = value;
        break;
      case NAMESPACE:
        namespace = value;
        break;
      case CONFIG:
        config = value;
        break;
      case ITERATIONS:
        iterations = value;
        break;
      case PORT:
        port = value;
        break;
      case HOST:
        host = value;
        break;
      default:
        interval = value;
    }
  }

  private static String example(String option) {
    switch (option) {
      case COORDINATOR:
        return "--coordinator redis://redis:6379";
      case NAMESPACE:
        return "--namespace ratequeue";
      case CONFIG:
        return "--config /etc/ratequeue.properties";
      case ITERATIONS:
        return "--iterations 3";
      case PORT:
        return "--port 9090";
      case HOST:
        return "--host 127.0.0.1";
      default:
        return "--interval 1s";
    }
  }

  String command() {
    return command;
  }

  List<String> positional() {
    return Collections.unmodifiableList(positional);
  }

  String coordinator() {
    return coordinator;
  }

  String namespace() {
    return namespace;
  }

  String config() {
    return config;
  }

  String iterations() {
    return iterations;
  }

  String interval() {
    return interval;
  }

  String port() {
    return port;
  }

  String host() {
    return host;
  }

  boolean json() {
    return json;
  }

  boolean help() {
    return help;
  }

  boolean reset() {
    return reset;
  }
}
