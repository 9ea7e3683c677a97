package dev.ratequeue.agent.install;

import java.io.IOException;
import java.io.InputStream;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Defines an interceptor's helper classes in the class loader of the library it instruments, the
 * first time one of its types is transformed there: inlined advice can only call what that loader
 * sees. The bytes come from the agent's own loader, which holds them without ever loading them (they
 * refer to the library's classes).
 */
final class HelperInjector implements AgentBuilder.Transformer {
  private final List<String> classNames;
  private final ClassLoader agentLoader;
  private final Map<ClassLoader, Boolean> injected = Collections.synchronizedMap(new WeakHashMap<>());
  private volatile Map<String, byte[]> bytes;

  HelperInjector(List<String> classNames, ClassLoader agentLoader) {
    this.classNames = classNames;
    this.agentLoader = agentLoader;
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader classLoader,
      JavaModule module, ProtectionDomain protectionDomain) {
    if (classLoader == null || classNames.isEmpty()) {
      return builder;
    }
    synchronized (injected) {
      if (!injected.containsKey(classLoader)) {
        for (Map.Entry<String, byte[]> helper : bytes().entrySet()) {
          ClassDefiner.define(classLoader, helper.getKey(), helper.getValue(), protectionDomain);
        }
        injected.put(classLoader, Boolean.TRUE);
      }
    }
    return builder;
  }

  private Map<String, byte[]> bytes() {
    Map<String, byte[]> b = bytes;
    if (b == null) {
      b = new LinkedHashMap<>();
      for (String name : classNames) {
        try (InputStream in = agentLoader.getResourceAsStream(name.replace('.', '/') + ".class")) {
          if (in == null) {
            throw new IllegalStateException("helper class " + name + " is missing from the agent jar");
          }
          b.put(name, in.readAllBytes());
        } catch (IOException e) {
          throw new IllegalStateException("cannot read helper class " + name, e);
        }
      }
      bytes = b;
    }
    return b;
  }
}
