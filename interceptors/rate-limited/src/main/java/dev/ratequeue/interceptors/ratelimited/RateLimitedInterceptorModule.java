package dev.ratequeue.interceptors.ratelimited;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.ratequeue.interceptors.InterceptorModule;
import dev.ratequeue.interceptors.TypeAdvice;
import java.util.Collections;
import java.util.List;

/**
 * {@code @RateLimited(resource, load, priority)} on any method: each call takes a permit on the
 * calling thread before the method body runs and gives it back when the method returns (or, for a
 * method returning a {@code CompletionStage}, when that completes). Only class loaders that can see
 * the annotation are scanned.
 */
public final class RateLimitedInterceptorModule implements InterceptorModule {
  static final String ANNOTATION = "dev.ratequeue.api.RateLimited";

  @Override
  public String name() {
    return "rate-limited";
  }

  @Override
  public String markerClassName() {
    return ANNOTATION;
  }

  @Override
  public List<String> helperClassNames() {
    return Collections.emptyList(); // the advice calls only the bootstrap bridge
  }

  @Override
  public List<TypeAdvice> typeAdvice() {
    return Collections.singletonList(TypeAdvice.forType(declaresMethod(isAnnotatedWith(named(ANNOTATION))))
        .transformWith(new RateLimitedTransformer()));
  }
}
