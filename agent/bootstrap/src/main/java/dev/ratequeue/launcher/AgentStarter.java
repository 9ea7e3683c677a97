package dev.ratequeue.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the bridge into the bootstrap class loader and starts the installer inside the agent's own
 * class loader, by name: nothing here links against a class of the bridge or of {@code inst/}.
 *
 * <p>The bridge is defined straight into the bootstrap loader rather than by appending a jar to the
 * bootstrap class path: on JDK 11 and later an appended boot class path turns class data sharing off
 * for every class the platform and application loaders load ("Sharing is only supported for boot
 * loader classes because bootstrap classpath has been appended"), which slows down the start of
 * every application. Should the JDK refuse that, the bridge goes into a small jar appended the
 * classic way.
 */
final class AgentStarter {
  private static final String INSTALLER = "dev.ratequeue.agent.AgentInstaller";
  private static final String COMMAND_LINE = "dev.ratequeue.agent.cli.CommandLine";

  private AgentStarter() {}

  static void start(Instrumentation instrumentation, String agentArgs, File jar) throws Throwable {
    try (JarFile file = new JarFile(jar, false)) {
      defineBridge(instrumentation, file);
    }
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

  /** The command line tools need no bridge in the bootstrap loader: the agent loader serves it itself. */
  static int commandLine(File jar, String[] args) throws Throwable {
    ClassLoader agentLoader = AgentClassLoader.open(jar);
    Thread.currentThread().setContextClassLoader(agentLoader);
    try {
      return (Integer) Class.forName(COMMAND_LINE, true, agentLoader).getMethod("run", String[].class)
          .invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void defineBridge(Instrumentation instrumentation, JarFile jar) throws IOException {
    List<JarEntry> entries = bridgeEntries(jar);
    try {
      defineInBootLoader(instrumentation, jar, entries);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      appendToBootClassPath(instrumentation, jar, entries);
    }
  }

  /** Outer classes first: a nested class may extend or implement its outer one, which must exist first. */
  private static List<JarEntry> bridgeEntries(JarFile jar) {
    List<JarEntry> entries = new ArrayList<>();
    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
      JarEntry entry = e.nextElement();
      if (entry.getName().startsWith(AgentClassLoader.BRIDGE) && entry.getName().endsWith(AgentClassLoader.SUFFIX)) {
        entries.add(entry);
      }
    }
    entries.sort((a, b) -> Integer.compare(nesting(a.getName()), nesting(b.getName())));
    return entries;
  }

  private static int nesting(String name) {
    return name.length() - name.replace("$", "").length();
  }

  private static String className(JarEntry entry) {
    String n = entry.getName();
    return n.substring(AgentClassLoader.BRIDGE.length(), n.length() - AgentClassLoader.SUFFIX.length()).replace('/', '.');
  }

  private static void defineInBootLoader(Instrumentation instrumentation, JarFile jar, List<JarEntry> entries)
      throws ReflectiveOperationException, IOException {
    Module base = Object.class.getModule();
    instrumentation.redefineModule(base, Collections.emptySet(), Collections.emptyMap(),
        Collections.singletonMap("jdk.internal.misc", Collections.singleton(AgentStarter.class.getModule())),
        Collections.emptySet(), Collections.emptyMap());
    Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
    Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
        ClassLoader.class, java.security.ProtectionDomain.class);
    for (JarEntry entry : entries) {
      byte[] bytes = read(jar, entry);
      define.invoke(unsafe, className(entry), bytes, 0, bytes.length, null, null);
    }
  }

  private static void appendToBootClassPath(Instrumentation instrumentation, JarFile jar, List<JarEntry> entries)
      throws IOException {
    Path bridgeJar = Files.createTempFile("ratequeue-bridge-", ".jar");
    bridgeJar.toFile().deleteOnExit();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(bridgeJar))) {
      for (JarEntry entry : entries) {
        out.putNextEntry(new JarEntry(className(entry).replace('.', '/') + ".class"));
        out.write(read(jar, entry));
        out.closeEntry();
      }
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(bridgeJar.toFile()));
  }

  private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
    try (InputStream in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }
}
