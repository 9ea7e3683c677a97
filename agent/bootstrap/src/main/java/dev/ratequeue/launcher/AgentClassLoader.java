package dev.ratequeue.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's implementation from the {@code inst/} folder of the agent jar, where the build
 * put it with every third-party package relocated and every {@code .class} renamed
 * {@code .classdata}, so that neither the system class loader nor a class-path scanner of the
 * application (Spring's, say) ever finds it.
 *
 * <p>Its parent is the platform class loader: the implementation sees the JDK and the bootstrap
 * bridge (appended to the bootstrap class path) and nothing of the application.
 *
 * <p>Resources are served under their usual names ({@code dev/ratequeue/X.class} included), which is
 * how Byte Buddy reads advice and helper classes without loading them.
 */
final class AgentClassLoader extends ClassLoader {
  static final String PREFIX = "inst/";
  /** The bridge's classes, which {@link AgentStarter} defines in the bootstrap loader. */
  static final String BRIDGE = "bridge/";
  static final String SUFFIX = ".classdata";
  private static final String BRIDGE_PACKAGE = "dev.ratequeue.bootstrap.";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final String jarUrl;
  private final ProtectionDomain protectionDomain;

  private AgentClassLoader(File file, JarFile jar) throws MalformedURLException {
    super("ratequeue-agent", ClassLoader.getPlatformClassLoader());
    this.jar = jar;
    URL url = file.toURI().toURL();
    this.jarUrl = "jar:" + url.toExternalForm() + "!/";
    this.protectionDomain = new ProtectionDomain(new CodeSource(url, (Certificate[]) null), null, this, null);
  }

  static AgentClassLoader open(File file) throws IOException {
    return new AgentClassLoader(file, new JarFile(file, false));
  }

  /**
   * Classes of {@code inst/}; the bridge's only when the bootstrap loader has none (the command line
   * tools run without a premain, and so without the bridge defined there).
   */
  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + SUFFIX);
    if (entry == null && name.startsWith(BRIDGE_PACKAGE)) {
      entry = jar.getJarEntry(BRIDGE + name.replace('.', '/') + SUFFIX);
    }
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    definePackageOf(name);
    return defineClass(name, bytes, 0, bytes.length, protectionDomain);
  }

  private void definePackageOf(String className) {
    int dot = className.lastIndexOf('.');
    if (dot < 0) {
      return;
    }
    String pkg = className.substring(0, dot);
    if (getDefinedPackage(pkg) == null) {
      try {
        definePackage(pkg, null, null, null, null, null, null, null);
      } catch (IllegalArgumentException definedMeanwhile) {
        // another thread defined it first: fine
      }
    }
  }

  @Override
  protected URL findResource(String name) {
    String entryName = entryName(name);
    if (jar.getJarEntry(entryName) == null) {
      return null;
    }
    try {
      return new URL(jarUrl + entryName);
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
  }

  private static String entryName(String resource) {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    if (name.endsWith(".class")) {
      return PREFIX + name.substring(0, name.length() - ".class".length()) + SUFFIX;
    }
    return PREFIX + name;
  }

  @Override
  public String toString() {
    return "RateQueue agent class loader (" + jar.getName() + ")";
  }
}
