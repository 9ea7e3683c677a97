package dev.ratequeue.interceptors.javahttpclient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** {@code HttpClientImpl.sendAsync(request, handler, pushPromiseHandler, executor)}. */
final class SendAsyncAdvice {
  private SendAsyncAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) HttpRequest request,
      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) HttpResponse.BodyHandler<?> handler) {
    handler = JdkHttpCalls.wrap(request, handler);
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.Argument(1) HttpResponse.BodyHandler<?> handler,
      @Advice.Return CompletableFuture<?> response) {
    JdkHttpCalls.watch(handler, response);
  }
}
