package dev.ratequeue.interceptors.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.ratequeue.interceptors.InterceptorModule;
import dev.ratequeue.interceptors.TypeAdvice;
import java.util.Arrays;
import java.util.List;

/**
 * OkHttp: every client gets {@link RateQueueNetworkInterceptor} as its last network interceptor.
 * A network interceptor runs once per request that goes on the wire, so redirects, authentication
 * challenges and OkHttp's own retries each take a permit, and a response served from OkHttp's cache
 * takes none. {@code execute()} waits in it, on the calling thread. {@code enqueue()} waits before
 * the call reaches OkHttp's dispatcher (see {@link OkHttpAsyncCalls}), holding no thread.
 */
public final class OkHttpInterceptorModule implements InterceptorModule {
  private static final String PACKAGE = "dev.ratequeue.interceptors.okhttp.";

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public String markerClassName() {
    return "okhttp3.OkHttpClient";
  }

  @Override
  public List<String> helperClassNames() {
    return Arrays.asList(
        PACKAGE + "OkHttpRequest",
        PACKAGE + "PermitReleasingSource",
        PACKAGE + "PermitReleasingBody",
        PACKAGE + "RateQueueNetworkInterceptor",
        PACKAGE + "OkHttpAsyncCalls",
        PACKAGE + "OkHttpAsyncCalls$DeferredCall",
        PACKAGE + "PermitReleasingCallback");
  }

  @Override
  public List<TypeAdvice> typeAdvice() {
    return Arrays.asList(
        TypeAdvice.forType(named("okhttp3.OkHttpClient"))
            .advise(isConstructor().and(takesArguments(1)).and(takesArgument(0, named("okhttp3.OkHttpClient$Builder"))),
                PACKAGE + "OkHttpClientConstructorAdvice"),
        // 3.x: okhttp3.RealCall; 4.x and 5.x: okhttp3.internal.connection.RealCall.
        TypeAdvice.forType(named("okhttp3.RealCall").or(named("okhttp3.internal.connection.RealCall")))
            .advise(named("enqueue").and(takesArguments(1)).and(takesArgument(0, named("okhttp3.Callback"))),
                PACKAGE + "RealCallEnqueueAdvice")
            .advise(named("cancel").and(takesArguments(0)), PACKAGE + "RealCallCancelAdvice"));
  }
}
