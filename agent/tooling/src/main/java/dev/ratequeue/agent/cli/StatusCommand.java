package dev.ratequeue.agent.cli;

/** {@code status}: every resource the coordinator knows, with its limits and what the fleet does with it now. */
final class StatusCommand implements Command {
  @Override
  public String name() {
    return "status";
  }

  @Override
  public String summary() {
    return "every resource: limits, in flight, queue, granted/s, utilization, pause, JVMs";
  }

  @Override
  public String help() {
    return "Usage: status [--json]\n"
        + "  One line per resource of the fleet:\n"
        + "    REQUESTS, LOAD  the limits (N/period, +burst); a resource marked * runs under limits set live\n"
        + "    IN FLIGHT       calls holding a permit now (/ the concurrency limit)\n"
        + "    QUEUE           calls waiting, in every JVM (and by priority when not all at 0)\n"
        + "    GRANT/S, LOAD/S permits and load granted in the last whole second\n"
        + "    UTIL            the most used limit, as a share of it\n"
        + "    PAUSED          how long the resource stays paused\n"
        + "    JVMS            JVMs heart-beating for the resource\n"
        + "  --json prints the same as one JSON object (see the README, \"Watch and steer\").\n";
  }

  @Override
  public void check(Arguments arguments) {
    if (!arguments.positional().isEmpty()) {
      throw UsageException.invalid("argument of status", arguments.positional().get(0), "none (status shows every resource)");
    }
  }

  @Override
  public int run(Invocation invocation) {
    FleetStatus status = FleetStatus.read(invocation.admin, invocation.namespace);
    invocation.out.print(invocation.arguments.json() ? JsonViews.write(JsonViews.status(status)) + "\n"
        : StatusTable.render(status));
    return ExitCodes.OK;
  }
}
