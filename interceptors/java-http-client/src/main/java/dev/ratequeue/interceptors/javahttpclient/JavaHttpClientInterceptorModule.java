package dev.ratequeue.interceptors.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.ratequeue.interceptors.InterceptorModule;
import dev.ratequeue.interceptors.TypeAdvice;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The JDK's {@code java.net.http.HttpClient}, whose implementation lives in
 * {@code jdk.internal.net.http} (module {@code java.net.http}, platform class loader): the helpers
 * are injected into the platform loader, and the agent gives the module the read edges it needs.
 *
 * <ul>
 *   <li>{@code HttpClientImpl.sendAsync(request, handler, pushPromiseHandler, executor)}, which
 *       {@code send} and both public {@code sendAsync} go through, wraps the body handler of a call to
 *       a mapped host: that is how the call carries its scope, learns its status, and ends its
 *       lease when the body is read, cancelled or failed.
 *   <li>{@code MultiExchange.responseAsyncImpl()} runs once per request on the wire (first, redirect,
 *       retry); each waits there for its permit, asynchronously: the method returns a future that
 *       runs it once granted. {@code send} therefore waits on the calling thread, and
 *       {@code sendAsync} on no thread at all.
 *   <li>{@code HttpClientImpl.send} throws the {@code PermitDeniedException} itself rather than the
 *       plain {@code IOException} the JDK would wrap it in.
 * </ul>
 */
public final class JavaHttpClientInterceptorModule implements InterceptorModule {
  private static final String PACKAGE = "dev.ratequeue.interceptors.javahttpclient.";

  @Override
  public String name() {
    return "java-http-client";
  }

  @Override
  public String markerClassName() {
    return "jdk.internal.net.http.HttpClientImpl";
  }

  @Override
  public List<String> helperClassNames() {
    return Arrays.asList(
        PACKAGE + "JdkRequest",
        PACKAGE + "JdkRequest$Collector",
        PACKAGE + "JdkHttpCall",
        PACKAGE + "PermitSubscription",
        PACKAGE + "PermitBodySubscriber",
        PACKAGE + "PermitBodyHandler",
        PACKAGE + "JdkHttpCalls");
  }

  @Override
  public List<TypeAdvice> typeAdvice() {
    return Arrays.asList(
        TypeAdvice.forType(named("jdk.internal.net.http.HttpClientImpl"))
            .advise(named("sendAsync").and(takesArguments(4)).and(returns(CompletableFuture.class)),
                PACKAGE + "SendAsyncAdvice")
            .advise(named("send").and(takesArguments(2)), PACKAGE + "SendAdvice"),
        TypeAdvice.forType(named("jdk.internal.net.http.MultiExchange"))
            .advise(named("responseAsyncImpl").and(takesArguments(0)), PACKAGE + "ResponseAsyncImplAdvice"));
  }
}
