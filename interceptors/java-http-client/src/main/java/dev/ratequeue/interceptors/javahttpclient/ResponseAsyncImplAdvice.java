package dev.ratequeue.interceptors.javahttpclient;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** {@code MultiExchange.responseAsyncImpl()}: once per request on the wire. */
final class ResponseAsyncImplAdvice {
  private ResponseAsyncImplAdvice() {}

  /** A non-null future replaces the attempt: it runs the attempt once the permit is granted. */
  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  static Object enter(@Advice.This Object exchange,
      @Advice.FieldValue(value = "responseHandler", typing = Assigner.Typing.DYNAMIC) Object handler,
      @Advice.FieldValue(value = "currentreq", typing = Assigner.Typing.DYNAMIC) Object request) {
    return JdkHttpCalls.beforeAttempt(exchange, handler, request);
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.Enter Object deferred,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object attempt) {
    if (deferred != null) {
      attempt = deferred;
    }
  }
}
