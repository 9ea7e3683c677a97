package dev.ratequeue.testing.workers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

final class JavaHttpClientDriver implements Driver {
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

  @Override
  public int call(URI uri) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Override
  public void callAsync(URI uri, IntConsumer status, Consumer<Throwable> failure) {
    client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .whenComplete((response, error) -> {
          if (error != null) {
            failure.accept(error);
          } else {
            status.accept(response.statusCode());
          }
        });
  }
}
