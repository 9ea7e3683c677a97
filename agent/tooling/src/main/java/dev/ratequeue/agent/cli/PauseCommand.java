package dev.ratequeue.agent.cli;

import dev.ratequeue.coordination.ConfigurationException;
import dev.ratequeue.coordination.Durations;
import dev.ratequeue.coordination.admin.ResourceState;
import java.time.Duration;

/** {@code pause <resource> <duration>}: nothing is granted, in any JVM, until the pause ends or {@code resume}. */
final class PauseCommand implements Command {
  private static final String USAGE = "pause <resource> <duration>, e.g. pause openai 10m";

  @Override
  public String name() {
    return "pause";
  }

  @Override
  public String summary() {
    return "stop every JVM's calls to a resource for a while (as a 429 would)";
  }

  @Override
  public String help() {
    return "Usage: pause <resource> <duration> [--json]\n"
        + "  Nothing is granted for the resource, in any JVM, for <duration> (ms, s, m, h: 30s, 10m, 1h).\n"
        + "  A pause never shortens one already in force. Calls that would wait longer than the resource's\n"
        + "  max-wait fail at once, as they do during an upstream's pause. End it early with resume.\n";
  }

  @Override
  public void check(Arguments arguments) {
    ResourceArgument.of(arguments, "pause", USAGE);
    duration(arguments);
  }

  private static Duration duration(Arguments arguments) {
    if (arguments.positional().size() < 2) {
      throw new UsageException("pause needs a duration: " + USAGE);
    }
    if (arguments.positional().size() > 2) {
      throw UsageException.invalid("argument of pause", arguments.positional().get(2), "<resource> <duration> only");
    }
    String text = arguments.positional().get(1);
    Duration d = Durations.parse("<duration>", text);
    if (d.isZero()) {
      throw new ConfigurationException("<duration>", text, "a duration > 0 (to end a pause, use resume)");
    }
    return d;
  }

  @Override
  public int run(Invocation invocation) {
    String name = invocation.arguments.positional().get(0);
    Duration d = duration(invocation.arguments);
    invocation.admin.pause(name, d);
    ResourceState after = ResourceArgument.stored(invocation, name);
    if (invocation.arguments.json()) {
      invocation.out.println(JsonViews.write(JsonViews.action("pause", after)));
    } else {
      invocation.out.println(name + ": paused in every JVM for " + LimitsText.remaining(after.snapshot().pausedFor()));
    }
    return ExitCodes.OK;
  }
}
