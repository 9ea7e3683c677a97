package dev.ratequeue.agent.cli;

import dev.ratequeue.coordination.Durations;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** {@code top}: {@code status}, redrawn every second until q, Ctrl-C or {@code --iterations}. */
final class TopCommand implements Command {
  /** ANSI: cursor home, clear the screen. */
  static final String CLEAR = "\033[H\033[2J";
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  @Override
  public String name() {
    return "top";
  }

  @Override
  public String summary() {
    return "status, refreshed every second (q or Ctrl-C ends it)";
  }

  @Override
  public String help() {
    return "Usage: top [--interval 1s] [--iterations N]\n"
        + "  Clears the terminal and draws status again every --interval (default 1s), until q or Ctrl-C;\n"
        + "  --iterations N stops after N screens (for scripts and tests).\n";
  }

  @Override
  public void check(Arguments arguments) {
    if (!arguments.positional().isEmpty()) {
      throw UsageException.invalid("argument of top", arguments.positional().get(0), "none");
    }
    if (arguments.json()) {
      throw UsageException.invalid("option of top", "--json", "none: for JSON, run status --json repeatedly");
    }
    iterations(arguments);
    interval(arguments);
  }

  private static int iterations(Arguments arguments) {
    if (arguments.iterations() == null) {
      return 0;
    }
    try {
      int n = Integer.parseInt(arguments.iterations().trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw UsageException.invalid("--iterations", arguments.iterations(), "a whole number >= 1");
  }

  private static Duration interval(Arguments arguments) {
    if (arguments.interval() == null) {
      return DEFAULT_INTERVAL;
    }
    Duration d = Durations.parse("--interval", arguments.interval());
    if (d.compareTo(Duration.ofMillis(100)) < 0) {
      throw UsageException.invalid("--interval", arguments.interval(), "at least 100ms");
    }
    return d;
  }

  @Override
  public int run(Invocation invocation) {
    int iterations = iterations(invocation.arguments);
    Duration interval = interval(invocation.arguments);
    try (Keyboard keyboard = Keyboard.open(invocation.in)) {
      for (int i = 1; ; i++) {
        FleetStatus status = FleetStatus.read(invocation.admin, invocation.namespace);
        invocation.out.print(CLEAR + StatusTable.render(status) + "\n" + CLOCK.format(status.takenAt)
            + " UTC, every " + Durations.format(interval) + "; q or Ctrl-C to quit\n");
        invocation.out.flush();
        if ((iterations > 0 && i >= iterations) || keyboard.quitWithin(interval)) {
          return ExitCodes.OK;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.OK;
    }
  }
}
