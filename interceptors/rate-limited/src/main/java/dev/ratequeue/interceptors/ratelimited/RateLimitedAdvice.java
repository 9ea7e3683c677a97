package dev.ratequeue.interceptors.ratelimited;

import dev.ratequeue.bootstrap.MethodPermit;
import dev.ratequeue.bootstrap.RateQueueBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into every {@code @RateLimited} method; the values are constants bound by {@link RateLimitedTransformer}. */
final class RateLimitedAdvice {
  private RateLimitedAdvice() {}

  /** Throws only what a denied call must throw (see {@link RateQueueBridge#enterMethod}). */
  @Advice.OnMethodEnter
  static MethodPermit enter(@RateLimitedTransformer.Resource String resource, @RateLimitedTransformer.Load long load,
      @RateLimitedTransformer.Priority int priority, @RateLimitedTransformer.Method String method,
      @RateLimitedTransformer.DeclaresIOException boolean declaresIOException) {
    return RateQueueBridge.enterMethod(resource, load, priority, method, declaresIOException);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter MethodPermit permit,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result) {
    if (permit != null) {
      permit.exit(result);
    }
  }
}
