package dev.ratequeue.agent;

import dev.ratequeue.interceptors.InterceptorModule;
import java.util.Arrays;
import java.util.List;

/** Every client library the agent knows, in the order they are installed. */
final class Interceptors {
  private Interceptors() {}

  static List<InterceptorModule> all() {
    return Arrays.asList(
        new dev.ratequeue.interceptors.okhttp.OkHttpInterceptorModule(),
        new dev.ratequeue.interceptors.apachehttpclient.ApacheHttpClientInterceptorModule(),
        new dev.ratequeue.interceptors.javahttpclient.JavaHttpClientInterceptorModule(),
        new dev.ratequeue.interceptors.ratelimited.RateLimitedInterceptorModule());
  }
}
