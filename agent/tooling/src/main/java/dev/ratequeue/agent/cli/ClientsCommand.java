package dev.ratequeue.agent.cli;

import dev.ratequeue.coordination.admin.FleetClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code clients}: the JVMs alive now, as each describes itself. */
final class ClientsCommand implements Command {
  private static final String[] HEADERS = {"CLIENT", "HOST", "PID", "VERSION", "UP", "SEEN", "RESOURCES"};

  @Override
  public String name() {
    return "clients";
  }

  @Override
  public String summary() {
    return "the live JVMs: host, pid, version, uptime, last heartbeat, resources";
  }

  @Override
  public String help() {
    return "Usage: clients [--json]\n"
        + "  Every JVM heart-beating now (within one lease TTL): its id, host, pid, what it runs, how long it has\n"
        + "  run, how long ago it was last seen (by its own clock) and the resources it uses.\n";
  }

  @Override
  public void check(Arguments arguments) {
    if (!arguments.positional().isEmpty()) {
      throw UsageException.invalid("argument of clients", arguments.positional().get(0), "none");
    }
  }

  @Override
  public int run(Invocation invocation) {
    List<FleetClient> clients = invocation.admin.clients();
    if (invocation.arguments.json()) {
      invocation.out.println(JsonViews.write(JsonViews.clients(invocation.admin.describe(), invocation.namespace, clients)));
      return ExitCodes.OK;
    }
    invocation.out.println("coordinator " + invocation.admin.describe() + "  namespace " + invocation.namespace
        + "  live JVMs " + clients.size());
    if (clients.isEmpty()) {
      return ExitCodes.OK;
    }
    Instant now = Instant.now();
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (FleetClient c : clients) {
      rows.add(new String[] {c.id(), c.host(), Long.toString(c.pid()), c.version().isEmpty() ? "-" : c.version(),
          LimitsText.remaining(nonNegative(Duration.between(c.started(), now))),
          LimitsText.remaining(nonNegative(Duration.between(c.lastSeen(), now))) + " ago",
          String.join(",", c.resources())});
    }
    int[] widths = new int[HEADERS.length];
    rows.forEach(r -> {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    });
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(r[i]).append(i < r.length - 1 ? " ".repeat(widths[i] - r[i].length() + 2) : "");
      }
      invocation.out.println(line);
    }
    return ExitCodes.OK;
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
