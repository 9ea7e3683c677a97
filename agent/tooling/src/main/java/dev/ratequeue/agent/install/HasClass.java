package dev.ratequeue.agent.install;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Matches class loaders that can see a library's marker class, answered once per loader: the cheap
 * test that spares loaders without the library every type matcher of its interceptor.
 */
final class HasClass extends ElementMatcher.Junction.AbstractBase<ClassLoader> {
  private final String resource;
  private final Map<ClassLoader, Boolean> answers = Collections.synchronizedMap(new WeakHashMap<>());

  HasClass(String className) {
    this.resource = className.replace('.', '/') + ".class";
  }

  @Override
  public boolean matches(ClassLoader loader) {
    if (loader == null) {
      return false;
    }
    Boolean known = answers.get(loader);
    if (known == null) {
      known = loader.getResource(resource) != null;
      answers.put(loader, known);
    }
    return known;
  }
}
