package dev.ratequeue.agent.cli;

import java.io.PrintStream;

/**
 * {@code java -jar ratequeue-agent.jar [command]}. For now it tells how to attach the agent; the
 * fleet commands (status, set, pause, …) belong to the operations work (see ROADMAP.md).
 */
public final class CommandLine {
  private CommandLine() {}

  public static int run(String[] args) {
    PrintStream out = System.out;
    out.println("RateQueue agent " + dev.ratequeue.agent.AgentInstaller.version());
    out.println("Attach it to a JVM: java -javaagent:ratequeue-agent.jar[=/path/to/ratequeue.properties] …");
    return args.length == 0 || args[0].equals("--help") ? 0 : 2;
  }
}
