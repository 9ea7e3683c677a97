package dev.ratequeue.interceptors.okhttp;

import net.bytebuddy.asm.Advice;
import okhttp3.OkHttpClient;

/** {@code OkHttpClient(Builder)}, which every way of making a client goes through. */
final class OkHttpClientConstructorAdvice {
  private OkHttpClientConstructorAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) OkHttpClient.Builder builder) {
    RateQueueNetworkInterceptor.addTo(builder);
  }
}
