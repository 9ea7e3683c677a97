package dev.ratequeue.testing.workers;

import dev.ratequeue.api.RateLimited;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Calls through {@code HttpURLConnection}, which the agent does not intercept: the only limit is the
 * {@code @RateLimited} annotation on the method, on resource {@code annotated}.
 */
final class RateLimitedDriver implements Driver {
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "annotated-async");
    t.setDaemon(true);
    return t;
  });

  @Override
  @RateLimited(resource = "annotated")
  public int call(URI uri) throws IOException {
    return get(uri);
  }

  /** The permit is taken on the calling thread and held until the returned future completes. */
  @RateLimited(resource = "annotated")
  CompletableFuture<Integer> callInBackground(URI uri) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return get(uri);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, pool);
  }

  @Override
  public void callAsync(URI uri, IntConsumer status, Consumer<Throwable> failure) {
    CompletableFuture<Integer> call;
    try {
      call = callInBackground(uri);
    } catch (RuntimeException e) {
      failure.accept(e);
      return;
    }
    call.whenComplete((code, error) -> {
      if (error != null) {
        failure.accept(error);
      } else {
        status.accept(code);
      }
    });
  }

  private static int get(URI uri) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    try {
      int code = connection.getResponseCode();
      try (InputStream in = code >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      return code;
    } finally {
      connection.disconnect();
    }
  }
}
