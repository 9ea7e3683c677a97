package dev.ratequeue.interceptors.javahttpclient;

import net.bytebuddy.asm.Advice;

/** {@code HttpClientImpl.send}: the denial itself, not the {@code IOException} the JDK wraps it in. */
final class SendAdvice {
  private SendAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Thrown(readOnly = false) Throwable thrown) {
    thrown = JdkHttpCalls.unwrapDenied(thrown);
  }
}
