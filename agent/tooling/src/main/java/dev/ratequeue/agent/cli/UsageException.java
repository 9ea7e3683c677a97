package dev.ratequeue.agent.cli;

/** A command line that cannot be run as given; the message is the one line the user sees. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  /** Names the argument, the value given and what was expected, like the agent's configuration errors. */
  static UsageException invalid(String argument, String value, String expected) {
    return new UsageException("Invalid " + argument + ": '" + value + "'; expected " + expected);
  }
}
