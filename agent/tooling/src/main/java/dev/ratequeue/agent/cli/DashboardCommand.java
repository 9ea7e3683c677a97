package dev.ratequeue.agent.cli;

import dev.ratequeue.agent.dashboard.DashboardServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;

/**
 * {@code dashboard}: the fleet's live page, served until Ctrl-C. Its data is {@code status --json}, read at most
 * twice a second however many browsers watch, so what the page shows and what a script reads agree.
 */
final class DashboardCommand implements Command {
  static final int DEFAULT_PORT = 9090;
  static final String DEFAULT_HOST = "127.0.0.1";

  @Override
  public String name() {
    return "dashboard";
  }

  @Override
  public String summary() {
    return "a live page of every resource, with charts, at http://127.0.0.1:9090/ (Ctrl-C ends it)";
  }

  @Override
  public String help() {
    return "Usage: dashboard [--port 9090] [--host 127.0.0.1]\n"
        + "  Serves one page, updated every second: per resource, throughput and load against their limits,\n"
        + "  utilization, in flight against concurrency, the queue by priority, wait p50/p99, 429s and pauses,\n"
        + "  live JVMs. Read-only: limits are changed with set, pause and resume.\n"
        + "  --port 0 takes any free port; --host 0.0.0.0 shows it to the network (it binds to loopback by\n"
        + "  default: the page names resources and their traffic).\n";
  }

  @Override
  public void check(Arguments arguments) {
    if (!arguments.positional().isEmpty()) {
      throw UsageException.invalid("argument of dashboard", arguments.positional().get(0), "none");
    }
    if (arguments.json()) {
      throw UsageException.invalid("option of dashboard", "--json", "none: the page reads status --json itself");
    }
    port(arguments);
    host(arguments);
  }

  private static int port(Arguments arguments) {
    if (arguments.port() == null) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(arguments.port().trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw UsageException.invalid("--port", arguments.port(), "a port number from 0 to 65535 (0: any free port)");
  }

  private static String host(Arguments arguments) {
    if (arguments.host() == null) {
      return DEFAULT_HOST;
    }
    String host = arguments.host().trim();
    if (host.isEmpty() || host.contains("/") || host.contains(" ")) {
      throw UsageException.invalid("--host", arguments.host(), "an address or host name to bind to, e.g. 127.0.0.1");
    }
    return host;
  }

  @Override
  public int run(Invocation invocation) {
    int port = port(invocation.arguments);
    String host = host(invocation.arguments);
    FleetStatus.read(invocation.admin, invocation.namespace); // an unreachable fleet fails now, not in the page
    DashboardServer server;
    try {
      server = DashboardServer.start(host, port, () -> JsonViews.write(
          JsonViews.status(FleetStatus.read(invocation.admin, invocation.namespace))).getBytes(StandardCharsets.UTF_8));
    } catch (BindException e) {
      throw new UsageException("Cannot serve the dashboard on " + host + ":" + port + ": " + e.getMessage()
          + " (another process has that port? --port 0 takes any free one)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      invocation.out.println("RateQueue dashboard at " + server.address() + " for " + invocation.admin.describe()
          + "; Ctrl-C ends it");
      invocation.out.flush();
      Thread.currentThread().join(); // until the JVM is stopped
      return ExitCodes.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.OK;
    } finally {
      server.close();
    }
  }
}
