package dev.ratequeue.agent.cli;

import dev.ratequeue.coordination.admin.ResourceState;

/** {@code resume <resource>}: ends a pause now, whoever started it (an operator or an upstream's 429). */
final class ResumeCommand implements Command {
  private static final String USAGE = "resume <resource>";

  @Override
  public String name() {
    return "resume";
  }

  @Override
  public String summary() {
    return "end a resource's pause now, in every JVM";
  }

  @Override
  public String help() {
    return "Usage: resume <resource> [--json]\n"
        + "  Ends the resource's pause at once, whether pause or an upstream's 429 started it; waiting calls\n"
        + "  are granted from the head of the queue.\n";
  }

  @Override
  public void check(Arguments arguments) {
    ResourceArgument.of(arguments, "resume", USAGE);
    if (arguments.positional().size() > 1) {
      throw UsageException.invalid("argument of resume", arguments.positional().get(1), "<resource> only");
    }
  }

  @Override
  public int run(Invocation invocation) {
    String name = invocation.arguments.positional().get(0);
    invocation.admin.resume(name);
    ResourceState after = ResourceArgument.stored(invocation, name);
    if (invocation.arguments.json()) {
      invocation.out.println(JsonViews.write(JsonViews.action("resume", after)));
    } else {
      invocation.out.println(name + ": resumed in every JVM");
    }
    return ExitCodes.OK;
  }
}
