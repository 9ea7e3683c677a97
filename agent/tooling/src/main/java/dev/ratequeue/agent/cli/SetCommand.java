package dev.ratequeue.agent.cli;

import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.admin.ResourceState;
import java.time.Duration;
import java.util.List;

/**
 * {@code set <resource> key=value…} sets limits live, for every JVM from its next decision, and
 * they stay until reset; {@code set <resource> --reset} hands the resource back to the JVMs'
 * configuration.
 */
final class SetCommand implements Command {
  private static final String USAGE = "set <resource> key=value… | set <resource> --reset";

  @Override
  public String name() {
    return "set";
  }

  @Override
  public String summary() {
    return "change limits live (they win over every JVM's configuration until --reset)";
  }

  @Override
  public String help() {
    return "Usage: " + USAGE + " [--json]\n"
        + "  Sets limits for every JVM of the fleet at once, without a restart. Keys and values are those of\n"
        + "  the properties file: " + String.join(", ", LimitsEdit.KEYS) + ".\n"
        + "  Keys not given keep their value; requests, load, concurrency and adaptive take none to remove it.\n"
        + "  Examples: set openai requests=400/1m concurrency=10    set openai load=none\n"
        + "  Limits set live win over any JVM's configuration, a JVM restarting with its old file included,\n"
        + "  until --reset: then the JVMs' configuration applies again (the first JVM to call seeds it).\n";
  }

  @Override
  public void check(Arguments arguments) {
    String name = ResourceArgument.of(arguments, "set", USAGE);
    List<String> assignments = arguments.positional().subList(1, arguments.positional().size());
    if (arguments.reset()) {
      if (!assignments.isEmpty()) {
        throw UsageException.invalid("argument of set --reset", assignments.get(0), "none: --reset alone");
      }
      return;
    }
    // Values checked now, against any limits, so a typo never waits for the coordinator.
    LimitsEdit.apply(ResourceLimits.builder(name).requests(1, Duration.ofSeconds(1)).build(), assignments);
  }

  @Override
  public int run(Invocation invocation) {
    Arguments a = invocation.arguments;
    String name = a.positional().get(0);
    ResourceState before = ResourceArgument.stored(invocation, name);
    if (a.reset()) {
      invocation.admin.resetLimits(name);
      if (a.json()) {
        invocation.out.println(JsonViews.write(JsonViews.action("reset", before)));
      } else {
        invocation.out.println(name + ": live limits reset; every JVM applies its configuration from its next call");
      }
      return ExitCodes.OK;
    }
    ResourceLimits updated = LimitsEdit.apply(before.limits(), a.positional().subList(1, a.positional().size()));
    invocation.admin.updateLimits(updated);
    ResourceState after = ResourceArgument.stored(invocation, name);
    if (a.json()) {
      invocation.out.println(JsonViews.write(JsonViews.action("set", after)));
    } else {
      invocation.out.println(name + ": limits set live for every JVM");
      invocation.out.println("  was: " + LimitsText.all(before.limits()));
      invocation.out.println("  now: " + LimitsText.all(after.limits()));
    }
    return ExitCodes.OK;
  }
}
