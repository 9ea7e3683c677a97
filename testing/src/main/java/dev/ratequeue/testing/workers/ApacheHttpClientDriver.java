package dev.ratequeue.testing.workers;

import java.net.URI;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** Compiled against Apache HttpClient 5.0; run on 5.0 and the newest 5.x. Both clients are built on first use. */
final class ApacheHttpClientDriver implements Driver {
  private volatile CloseableHttpClient classic;
  private volatile CloseableHttpAsyncClient async;

  private synchronized CloseableHttpClient classic() {
    if (classic == null) {
      // An application with many threads on one host raises the pool's default of 5 per route.
      classic = HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
          .setMaxConnPerRoute(512).setMaxConnTotal(512).build()).build();
    }
    return classic;
  }

  private synchronized CloseableHttpAsyncClient async() {
    if (async == null) {
      async = HttpAsyncClients.custom().setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
          .setMaxConnPerRoute(512).setMaxConnTotal(512).build()).build();
      async.start();
    }
    return async;
  }

  @Override
  public int call(URI uri) throws Exception {
    try (CloseableHttpResponse response = classic().execute(new HttpGet(uri))) {
      EntityUtils.consume(response.getEntity());
      return response.getCode();
    }
  }

  @Override
  public void callAsync(URI uri, IntConsumer status, Consumer<Throwable> failure) {
    async().execute(new SimpleHttpRequest("GET", uri), new FutureCallback<SimpleHttpResponse>() {
      @Override
      public void completed(SimpleHttpResponse response) {
        status.accept(response.getCode());
      }

      @Override
      public void failed(Exception e) {
        failure.accept(e);
      }

      @Override
      public void cancelled() {
        failure.accept(new IllegalStateException("cancelled"));
      }
    });
  }
}
