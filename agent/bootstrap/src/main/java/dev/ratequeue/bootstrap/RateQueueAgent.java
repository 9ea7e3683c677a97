package dev.ratequeue.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.util.jar.JarFile;

/**
 * The agent's entry point: {@code -javaagent:ratequeue-agent.jar[=/path/to/ratequeue.properties]}.
 *
 * <p>Kept tiny, like every premain should be. The JVM loads this class from the system class
 * loader; it appends the agent jar to the bootstrap class path, so the bridge classes beside it
 * become visible to every class loader (advice inlined into OkHttp, Apache HttpClient or the JDK's
 * own {@code java.net.http} calls them), then hands over to {@link AgentStarter}, loaded by the
 * bootstrap loader. Everything else (the engine, Lettuce, Netty, Byte Buddy) lives under
 * {@code inst/} in the jar, relocated, and is loaded by an {@link AgentClassLoader} of its own: the
 * application can never see it, nor clash with it.
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

  /** {@code java -jar ratequeue-agent.jar …}: the command line tools, inside the same isolated loader. */
  public static void main(String[] args) throws Throwable {
    File jar = agentJar();
    appendToBootstrap(null, jar);
    try {
      Class.forName("dev.ratequeue.bootstrap.AgentStarter", true, null)
          .getMethod("main", File.class, String[].class).invoke(null, jar, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void start(String agentArgs, Instrumentation instrumentation) {
    try {
      File jar = agentJar();
      appendToBootstrap(instrumentation, jar);
      Class.forName("dev.ratequeue.bootstrap.AgentStarter", true, null)
          .getMethod("start", Instrumentation.class, String.class, File.class)
          .invoke(null, instrumentation, agentArgs, jar);
    } catch (Throwable t) {
      Throwable cause = t instanceof InvocationTargetException ? t.getCause() : t;
      System.err.println("[ratequeue] ERROR the agent could not start; the application runs without it: " + cause);
      cause.printStackTrace();
    }
  }

  private static void appendToBootstrap(Instrumentation instrumentation, File jar) throws Exception {
    if (instrumentation != null) {
      instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
    }
    // Without Instrumentation (java -jar), the bridge classes are simply loaded from the jar by the
    // system class loader, which is all the command line tools need.
  }

  private static File agentJar() throws Exception {
    return new File(RateQueueAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
