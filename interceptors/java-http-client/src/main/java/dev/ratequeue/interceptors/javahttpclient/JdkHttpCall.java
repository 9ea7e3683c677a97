package dev.ratequeue.interceptors.javahttpclient;

import dev.ratequeue.bootstrap.BodyTail;
import dev.ratequeue.bootstrap.CallPermit;
import dev.ratequeue.bootstrap.CallScope;
import dev.ratequeue.bootstrap.PermitDeniedException;
import dev.ratequeue.bootstrap.RateQueueBridge;
import dev.ratequeue.bootstrap.Route;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * One {@code send}/{@code sendAsync} call: the scope it was made in, and the permit of the request
 * on the wire right now. A new attempt (redirect, retry) ends the previous attempt's lease, whose
 * response was discarded by then; the last one ends when its body is done ({@link PermitBodySubscriber}).
 */
final class JdkHttpCall {
  private static volatile MethodHandle responseAsyncImpl;

  private final CallScope scope;
  private CallPermit current;
  private CompletableFuture<CallPermit> pending;
  private boolean finished;
  /** Set just before the granted attempt is run, on the same thread, so its advice lets it through. */
  private final ThreadLocal<Boolean> resuming = new ThreadLocal<>();

  JdkHttpCall(CallScope scope) {
    this.scope = scope;
  }

  /**
   * Called when the exchange is about to send a request to {@code uri}.
   *
   * @return {@code null} to send it now, or the future of the attempt, run once the permit is granted
   */
  Object beforeAttempt(Object exchange, HttpRequest request) {
    if (resuming.get() != null) {
      resuming.remove();
      return null;
    }
    endAttempt();
    URI uri = request.uri();
    Route route = RateQueueBridge.route(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath());
    if (route == null || scope.holds(route.resource())) {
      return null; // a redirect to an unmapped host, or an enclosing @RateLimited call holds the permit
    }
    CompletableFuture<CallPermit> permit =
        route.acquireAsync(scope, route.readsRequests() ? new JdkRequest(request) : null);
    if (permit.isDone() && !permit.isCompletedExceptionally() && !permit.isCancelled()) {
      setCurrent(permit.join());
      return null;
    }
    synchronized (this) {
      pending = permit;
    }
    return permit.thenCompose(granted -> {
      if (!setCurrent(granted)) {
        CompletableFuture<Object> cancelled = new CompletableFuture<>();
        cancelled.completeExceptionally(new PermitDeniedException(route.resource(), "call cancelled", null));
        return cancelled;
      }
      return resume(exchange);
    });
  }

  @SuppressWarnings("unchecked")
  private CompletableFuture<Object> resume(Object exchange) {
    resuming.set(Boolean.TRUE);
    try {
      return (CompletableFuture<Object>) handle(exchange).invoke(exchange);
    } catch (Throwable t) {
      throw new CompletionException(t);
    } finally {
      resuming.remove();
    }
  }

  private static MethodHandle handle(Object exchange) throws ReflectiveOperationException {
    MethodHandle h = responseAsyncImpl;
    if (h == null) {
      Class<?> type = exchange.getClass();
      h = MethodHandles.privateLookupIn(type, MethodHandles.lookup())
          .findVirtual(type, "responseAsyncImpl", MethodType.methodType(CompletableFuture.class))
          .asType(MethodType.methodType(CompletableFuture.class, Object.class));
      responseAsyncImpl = h;
    }
    return h;
  }

  /** @return false when the call finished meanwhile: the permit is given back at once */
  private synchronized boolean setCurrent(CallPermit permit) {
    pending = null;
    if (finished) {
      permit.close();
      return false;
    }
    current = permit;
    return true;
  }

  private synchronized void endAttempt() {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  /** @return how many bytes of the end of the body the permit wants (see CallPermit.responded) */
  int responded(int status, Function<String, String> headers) {
    CallPermit p;
    synchronized (this) {
      p = current;
    }
    return p == null ? 0 : p.responded(status, headers);
  }

  void bodyEnded(BodyTail tail) {
    CallPermit p;
    synchronized (this) {
      p = current;
    }
    if (p != null) {
      p.bodyEnded(tail);
    }
  }

  /** The call is over: body read or cancelled, or the call failed. */
  void finished() {
    CompletableFuture<CallPermit> waiting;
    synchronized (this) {
      finished = true;
      waiting = pending;
      pending = null;
    }
    if (waiting != null) {
      waiting.cancel(false);
    }
    endAttempt();
  }
}
