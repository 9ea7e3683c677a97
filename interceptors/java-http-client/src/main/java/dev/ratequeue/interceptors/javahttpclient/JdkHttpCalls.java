package dev.ratequeue.interceptors.javahttpclient;

import dev.ratequeue.bootstrap.CallScope;
import dev.ratequeue.bootstrap.PermitDeniedException;
import dev.ratequeue.bootstrap.RateQueueBridge;
import dev.ratequeue.bootstrap.Route;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/** What the advice in {@code jdk.internal.net.http} calls; every method is safe to call with anything. */
public final class JdkHttpCalls {
  private JdkHttpCalls() {}

  /** The handler of a call to a mapped host, wrapped; any other handler as it is. */
  public static HttpResponse.BodyHandler<?> wrap(HttpRequest request, HttpResponse.BodyHandler<?> handler) {
    if (handler == null || handler instanceof PermitBodyHandler) {
      return handler;
    }
    URI uri = request.uri();
    Route route = RateQueueBridge.route(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath());
    if (route == null) {
      return handler;
    }
    return PermitBodyHandler.of(handler, new JdkHttpCall(CallScope.current()));
  }

  /** A call that fails or is cancelled before its body is read ends its lease then. */
  public static void watch(HttpResponse.BodyHandler<?> handler, CompletableFuture<?> response) {
    if (handler instanceof PermitBodyHandler && response != null) {
      JdkHttpCall call = ((PermitBodyHandler<?>) handler).call();
      response.whenComplete((r, failure) -> {
        if (failure != null) {
          call.finished();
        }
      });
    }
  }

  /** See {@link JdkHttpCall#beforeAttempt}; {@code null}: run the attempt now. */
  public static Object beforeAttempt(Object exchange, Object handler, Object request) {
    if (!(handler instanceof PermitBodyHandler) || !(request instanceof HttpRequest)) {
      return null;
    }
    return ((PermitBodyHandler<?>) handler).call().beforeAttempt(exchange, (HttpRequest) request);
  }

  public static Throwable unwrapDenied(Throwable thrown) {
    if (thrown instanceof IOException && !(thrown instanceof PermitDeniedException)
        && thrown.getCause() instanceof PermitDeniedException) {
      return thrown.getCause();
    }
    return thrown;
  }
}
