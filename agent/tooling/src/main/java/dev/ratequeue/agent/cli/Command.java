package dev.ratequeue.agent.cli;

/** One command of {@code java -jar ratequeue-agent.jar}. */
interface Command {
  String name();

  /** One line for the list of commands. */
  String summary();

  /** What {@code <command> --help} prints. */
  String help();

  /** Throws {@link UsageException} for arguments that are wrong whatever the fleet holds: before connecting. */
  void check(Arguments arguments);

  /** Runs against the fleet; returns the exit code. */
  int run(Invocation invocation);
}
