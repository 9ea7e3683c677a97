package dev.ratequeue.interceptors.apachehttpclient;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.async.H2AsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/** Adds RateQueue's handler to a builder's exec chain, once per builder however often it builds. */
public final class ExecChains {
  static final String NAME = "ratequeue";
  private static final Map<Object, Boolean> INSTALLED = Collections.synchronizedMap(new WeakHashMap<>());

  private ExecChains() {}

  public static void install(HttpClientBuilder builder) {
    if (INSTALLED.putIfAbsent(builder, Boolean.TRUE) == null) {
      builder.addExecInterceptorBefore(ChainElement.CONNECT.name(), NAME, RateQueueExecHandler.INSTANCE);
    }
  }

  public static void installAsync(Object builder) {
    if (INSTALLED.putIfAbsent(builder, Boolean.TRUE) != null) {
      return;
    }
    if (builder instanceof HttpAsyncClientBuilder) {
      ((HttpAsyncClientBuilder) builder).addExecInterceptorBefore(ChainElement.CONNECT.name(), NAME,
          RateQueueAsyncExecHandler.INSTANCE);
    } else if (builder instanceof H2AsyncClientBuilder) {
      ((H2AsyncClientBuilder) builder).addExecInterceptorBefore(ChainElement.CONNECT.name(), NAME,
          RateQueueAsyncExecHandler.INSTANCE);
    }
  }
}
