package dev.ratequeue.interceptors.apachehttpclient;

import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

final class ClassicBuildAdvice {
  private ClassicBuildAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This HttpClientBuilder builder) {
    ExecChains.install(builder);
  }
}
