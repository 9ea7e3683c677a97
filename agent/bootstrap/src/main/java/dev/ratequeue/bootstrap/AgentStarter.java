package dev.ratequeue.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;

/**
 * Creates the agent's own class loader and starts the installer inside it, by name: nothing here
 * may link against a class that lives under {@code inst/}.
 */
public final class AgentStarter {
  private static final String INSTALLER = "dev.ratequeue.agent.AgentInstaller";
  private static final String COMMAND_LINE = "dev.ratequeue.agent.cli.CommandLine";

  private AgentStarter() {}

  public static void start(Instrumentation instrumentation, String agentArgs, File jar) throws Throwable {
    ClassLoader agentLoader = AgentClassLoader.open(jar);
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(agentLoader);
    try {
      Class.forName(INSTALLER, true, agentLoader)
          .getMethod("install", Instrumentation.class, String.class, ClassLoader.class)
          .invoke(null, instrumentation, agentArgs, agentLoader);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  public static void main(File jar, String[] args) throws Throwable {
    ClassLoader agentLoader = AgentClassLoader.open(jar);
    Thread.currentThread().setContextClassLoader(agentLoader);
    int status;
    try {
      status = (Integer) Class.forName(COMMAND_LINE, true, agentLoader)
          .getMethod("run", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    System.exit(status);
  }
}
