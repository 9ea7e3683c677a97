package dev.ratequeue.agent.cli;

/** What {@code java -jar ratequeue-agent.jar <command>} exits with; documented in the README ("Watch and steer"). */
final class ExitCodes {
  static final int OK = 0;
  /** Redis answered with an error (NOPERM from an ACL that lacks a command, say), or something unexpected. */
  static final int FAILED = 1;
  /** The command line or the configuration is wrong: unknown command, bad argument, bad URL, a local coordinator. */
  static final int USAGE = 2;
  /** The coordinator did not answer within the command timeout. */
  static final int UNREACHABLE = 3;
  /** The coordinator holds no such resource. */
  static final int UNKNOWN_RESOURCE = 4;

  private ExitCodes() {}
}
