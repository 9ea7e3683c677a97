package dev.ratequeue.testing.workers;

import java.io.IOException;
import java.net.URI;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Compiled against OkHttp 3.12; run on 3.x, 4.x and 5.x. */
final class OkHttpDriver implements Driver {
  private final OkHttpClient client;

  OkHttpDriver() {
    Dispatcher dispatcher = new Dispatcher();
    // An application sending many calls to one host raises OkHttp's default of 5 per host.
    dispatcher.setMaxRequests(512);
    dispatcher.setMaxRequestsPerHost(512);
    client = new OkHttpClient.Builder().dispatcher(dispatcher).build();
  }

  @Override
  public int call(URI uri) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
      response.body().string();
      return response.code();
    }
  }

  @Override
  public void callAsync(URI uri, IntConsumer status, Consumer<Throwable> failure) {
    client.newCall(new Request.Builder().url(uri.toString()).build()).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        failure.accept(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (Response r = response) {
          r.body().string();
          status.accept(r.code());
        } catch (IOException e) {
          failure.accept(e);
        }
      }
    });
  }
}
