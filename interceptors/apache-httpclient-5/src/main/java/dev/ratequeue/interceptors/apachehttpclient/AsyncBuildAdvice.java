package dev.ratequeue.interceptors.apachehttpclient;

import net.bytebuddy.asm.Advice;

/** {@code HttpAsyncClientBuilder.build()} and {@code H2AsyncClientBuilder.build()}. */
final class AsyncBuildAdvice {
  private AsyncBuildAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object builder) {
    ExecChains.installAsync(builder);
  }
}
