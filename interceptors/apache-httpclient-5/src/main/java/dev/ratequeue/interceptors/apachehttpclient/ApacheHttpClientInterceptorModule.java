package dev.ratequeue.interceptors.apachehttpclient;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.ratequeue.interceptors.InterceptorModule;
import dev.ratequeue.interceptors.TypeAdvice;
import java.util.Arrays;
import java.util.List;

/**
 * Apache HttpClient 5: every client built by {@code HttpClientBuilder}, {@code HttpAsyncClientBuilder}
 * or {@code H2AsyncClientBuilder} (which {@code HttpClients.createDefault()} and friends use) gets
 * RateQueue's handler in its exec chain, just before {@code CONNECT}. Redirects, retries and
 * authentication challenges loop above that point, so each request on the wire passes it once, and
 * a call waiting there holds no pooled connection. The classic handler waits on the calling thread;
 * the async one waits on no thread and lets the call proceed once granted.
 *
 * <p>Not covered: {@code HttpClients.createMinimal()} and {@code HttpAsyncClients.createMinimal()},
 * which have no exec chain.
 */
public final class ApacheHttpClientInterceptorModule implements InterceptorModule {
  private static final String PACKAGE = "dev.ratequeue.interceptors.apachehttpclient.";

  @Override
  public String name() {
    return "apache-httpclient-5";
  }

  @Override
  public String markerClassName() {
    return "org.apache.hc.client5.http.impl.ChainElement";
  }

  @Override
  public List<String> helperClassNames() {
    return Arrays.asList(
        PACKAGE + "Requests",
        PACKAGE + "ApacheRequest",
        PACKAGE + "ApacheRequest$Capture",
        PACKAGE + "TailRecordingConsumer",
        PACKAGE + "PermitReleasingInputStream",
        PACKAGE + "PermitReleasingEntity",
        PACKAGE + "RateQueueExecHandler",
        PACKAGE + "PermitReleasingAsyncCallback",
        PACKAGE + "RateQueueAsyncExecHandler",
        PACKAGE + "ExecChains");
  }

  @Override
  public List<TypeAdvice> typeAdvice() {
    return Arrays.asList(
        TypeAdvice.forType(named("org.apache.hc.client5.http.impl.classic.HttpClientBuilder"))
            .advise(named("build").and(takesArguments(0)), PACKAGE + "ClassicBuildAdvice"),
        TypeAdvice.forType(named("org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder")
                .or(named("org.apache.hc.client5.http.impl.async.H2AsyncClientBuilder")))
            .advise(named("build").and(takesArguments(0)), PACKAGE + "AsyncBuildAdvice"));
  }
}
