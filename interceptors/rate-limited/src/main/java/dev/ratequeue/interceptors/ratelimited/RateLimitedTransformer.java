package dev.ratequeue.interceptors.ratelimited;

import static net.bytebuddy.matcher.ElementMatchers.is;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationValue;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Reads each annotated method's {@code resource}, {@code load} and {@code priority} once, when its
 * class is transformed, and inlines them into that method's advice as constants: a call pays no
 * reflection, only the acquire.
 */
final class RateLimitedTransformer implements AgentBuilder.Transformer {
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Resource {}

  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Load {}

  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Priority {}

  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Method {}

  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface DeclaresIOException {}

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader classLoader,
      JavaModule module, ProtectionDomain protectionDomain) {
    DynamicType.Builder<?> b = builder;
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      AnnotationDescription annotation = annotation(method);
      if (annotation == null || method.isAbstract() || method.isNative()) {
        continue;
      }
      b = b.visit(Advice.withCustomMapping()
          .bind(Resource.class, value(annotation, "resource", ""))
          .bind(Load.class, value(annotation, "load", 1L))
          .bind(Priority.class, value(annotation, "priority", Integer.MIN_VALUE))
          .bind(Method.class, type.getName() + "." + method.getName())
          .bind(DeclaresIOException.class, declaresIOException(method))
          .to(RateLimitedAdvice.class)
          .on(is(method)));
    }
    return b;
  }

  private static AnnotationDescription annotation(MethodDescription method) {
    for (AnnotationDescription a : method.getDeclaredAnnotations()) {
      if (a.getAnnotationType().getName().equals(RateLimitedInterceptorModule.ANNOTATION)) {
        return a;
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <T> T value(AnnotationDescription annotation, String property, T defaultValue) {
    for (MethodDescription.InDefinedShape p : annotation.getAnnotationType().getDeclaredMethods()) {
      if (p.getName().equals(property)) {
        AnnotationValue<?, ?> v = annotation.getValue(p);
        return v == null ? defaultValue : (T) v.resolve();
      }
    }
    return defaultValue;
  }

  private static boolean declaresIOException(MethodDescription method) {
    for (TypeDescription.Generic thrown : method.getExceptionTypes()) {
      TypeDescription t = thrown.asErasure();
      if (t.represents(IOException.class) || t.represents(Exception.class) || t.represents(Throwable.class)) {
        return true;
      }
    }
    return false;
  }
}
