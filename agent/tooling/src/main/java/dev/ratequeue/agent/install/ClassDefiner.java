package dev.ratequeue.agent.install;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;

/**
 * Defines a class in a class loader of the application's, through {@code ClassLoader.defineClass}, which
 * the agent may call once {@code java.lang} is opened to it (agents can open packages of any module).
 * Byte Buddy's own injector reaches the same method through {@code sun.misc.Unsafe}, which JDK 24 and
 * later warn about on standard error, in every application.
 */
final class ClassDefiner {
  private static volatile Method defineClass;

  private ClassDefiner() {}

  static void open(Instrumentation instrumentation) {
    Module base = Object.class.getModule();
    Module agent = ClassDefiner.class.getModule();
    instrumentation.redefineModule(base, Collections.emptySet(), Collections.emptyMap(),
        Collections.singletonMap("java.lang", Collections.singleton(agent)), Collections.emptySet(),
        Collections.emptyMap());
    try {
      Method m = ClassLoader.class.getDeclaredMethod("defineClass", String.class, byte[].class, int.class, int.class,
          ProtectionDomain.class);
      m.setAccessible(true);
      defineClass = m;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A class the loader already has (defined by an earlier injection) is left as it is. */
  static void define(ClassLoader loader, String name, byte[] bytes, ProtectionDomain domain) {
    try {
      Class.forName(name, false, loader);
      return;
    } catch (ClassNotFoundException expected) {
      // not there yet
    }
    try {
      defineClass.invoke(loader, name, bytes, 0, bytes.length, domain);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof LinkageError && String.valueOf(e.getCause().getMessage()).contains("duplicate")) {
        return;
      }
      throw new IllegalStateException("cannot define " + name + " in " + loader, e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
