package dev.ratequeue.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Each call of the annotated method waits for a permit of {@link #resource()}, shared by every
 * JVM of the fleet. Enforced by the RateQueue agent; without the agent attached the annotation
 * does nothing, so code carrying it runs anywhere.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RateLimited {
  /** The resource, as named in the agent's configuration ({@code ratequeue.resources.<name>.…}). */
  String resource();

  /** Units this call weighs against the resource's load limit. */
  long load() default 1;

  /**
   * Priority of the call: higher numbers are served first. {@link Integer#MIN_VALUE} means the
   * resource's configured default priority.
   */
  int priority() default Integer.MIN_VALUE;
}
