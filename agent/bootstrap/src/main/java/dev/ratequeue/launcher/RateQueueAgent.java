package dev.ratequeue.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;

/**
 * The agent's entry point: {@code -javaagent:ratequeue-agent.jar[=/path/to/ratequeue.properties]}, and
 * {@code java -jar ratequeue-agent.jar …} for the command line tools.
 *
 * <p>Kept tiny, like every premain should be. The JVM loads it from the system class loader; it hands
 * over to {@link AgentStarter}, which puts the bridge (the few classes advice calls, under
 * {@code bridge/} in the jar) into the bootstrap class loader, where every class loader sees them, and
 * starts everything else (the engine, Lettuce, Netty, Byte Buddy: relocated, under {@code inst/}) in an
 * {@link AgentClassLoader} of its own, which the application can never see nor clash with.
 *
 * <p>Nothing thrown here may reach the application: a failure is printed once and the application
 * starts without the agent.
 */
public final class RateQueueAgent {
  private RateQueueAgent() {}

  public static void premain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation);
  }

  public static void agentmain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation);
  }

  public static void main(String[] args) throws Throwable {
    System.exit(AgentStarter.commandLine(agentJar(), args));
  }

  private static void start(String agentArgs, Instrumentation instrumentation) {
    try {
      AgentStarter.start(instrumentation, agentArgs, agentJar());
    } catch (Throwable t) {
      System.err.println("[ratequeue] ERROR the agent could not start; the application runs without it: " + t);
      t.printStackTrace();
    }
  }

  private static File agentJar() throws Exception {
    return new File(RateQueueAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
