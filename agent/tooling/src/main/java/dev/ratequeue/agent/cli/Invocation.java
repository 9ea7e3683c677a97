package dev.ratequeue.agent.cli;

import dev.ratequeue.coordination.admin.FleetAdmin;
import java.io.InputStream;
import java.io.PrintStream;

/** What a command runs with: its arguments, the fleet, and the terminal. */
final class Invocation {
  final Arguments arguments;
  final FleetAdmin admin;
  final String namespace;
  final PrintStream out;
  final InputStream in;

  Invocation(Arguments arguments, FleetAdmin admin, String namespace, PrintStream out, InputStream in) {
    this.arguments = arguments;
    this.admin = admin;
    this.namespace = namespace;
    this.out = out;
    this.in = in;
  }
}
