package dev.ratequeue.interceptors.okhttp;

import dev.ratequeue.bootstrap.CallPermit;
import dev.ratequeue.bootstrap.CallScope;
import dev.ratequeue.bootstrap.PermitDeniedException;
import dev.ratequeue.bootstrap.RateQueueBridge;
import dev.ratequeue.bootstrap.Route;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * {@code enqueue()} without a thread: the call waits for its permit before it reaches OkHttp's
 * dispatcher, so 2,000 waiting calls hold no dispatcher thread and no caller thread. Once granted,
 * it is enqueued for real, and its first request on the wire uses that permit. Requests that follow
 * (a redirect, a retry) take their own in {@link RateQueueNetworkInterceptor}.
 *
 * <p>While it waits, the call is not "executed" in OkHttp's sense; cancelling it fails it with
 * OkHttp's usual {@code IOException("Canceled")}, and a denied permit fails it with a
 * {@link PermitDeniedException}, both through the application's callback.
 */
public final class OkHttpAsyncCalls {
  private static final Map<Call, DeferredCall> CALLS = new ConcurrentHashMap<>();
  /** Set while we enqueue a granted call ourselves, so the advice lets that enqueue through. */
  private static final ThreadLocal<Boolean> GRANTED_ENQUEUE = new ThreadLocal<>();

  private OkHttpAsyncCalls() {}

  /** @return {@code true} when the call now waits for its permit and OkHttp's enqueue must be skipped */
  public static boolean deferEnqueue(Call call, Callback callback) {
    if (GRANTED_ENQUEUE.get() != null || CALLS.containsKey(call)) {
      return false;
    }
    HttpUrl url = call.request().url();
    Route route = RateQueueBridge.route(url.scheme(), url.host(), url.port(), url.encodedPath());
    if (route == null) {
      return false;
    }
    CallScope scope = CallScope.current();
    DeferredCall deferred = new DeferredCall(route, scope);
    OkHttpRequest outbound = route.readsRequests() ? new OkHttpRequest(call.request()) : null;
    CALLS.put(call, deferred);
    if (scope.holds(route.resource())) {
      deferred.setGranted(CallPermit.NONE); // an enclosing @RateLimited call holds the permit
      enqueueGranted(call, callback, deferred);
      return true;
    }
    CompletableFuture<CallPermit> permit = route.acquireAsync(scope, outbound);
    deferred.pending = permit;
    permit.whenComplete((granted, failure) -> {
      if (failure != null) {
        CALLS.remove(call);
        callback.onFailure(call, asIOException(failure, route));
      } else if (call.isCanceled()) {
        granted.close();
        CALLS.remove(call);
        callback.onFailure(call, new IOException("Canceled"));
      } else {
        deferred.setGranted(granted);
        enqueueGranted(call, callback, deferred);
      }
    });
    return true;
  }

  private static void enqueueGranted(Call call, Callback callback, DeferredCall deferred) {
    GRANTED_ENQUEUE.set(Boolean.TRUE);
    try {
      call.enqueue(new PermitReleasingCallback(callback, deferred));
    } catch (RuntimeException | Error e) {
      // e.g. "Already Executed": the application enqueued the same call again while it waited.
      finished(call, deferred);
      callback.onFailure(call, new IOException(e.getMessage(), e));
    } finally {
      GRANTED_ENQUEUE.remove();
    }
  }

  /** The call's first request on the wire gets the permit its enqueue waited for; later ones wait for theirs. */
  static CallPermit permitFor(Call call, Route route, Request request) throws PermitDeniedException {
    DeferredCall deferred = call == null ? null : CALLS.get(call);
    if (deferred != null) {
      CallPermit granted = deferred.takeGranted();
      if (granted != null) {
        return granted;
      }
    }
    CallScope scope = deferred != null ? deferred.scope : CallScope.current();
    if (scope.holds(route.resource())) {
      return CallPermit.NONE;
    }
    return route.acquire(scope, route.readsRequests() ? new OkHttpRequest(request) : null);
  }

  public static void cancelled(Call call) {
    DeferredCall deferred = CALLS.get(call);
    if (deferred != null && deferred.pending != null) {
      deferred.pending.cancel(false);
    }
  }

  static void finished(Call call, DeferredCall deferred) {
    CALLS.remove(call, deferred);
    CallPermit unused = deferred.takeGranted();
    if (unused != null) {
      unused.close(); // never reached the wire: served from the cache, or failed before sending
    }
  }

  private static IOException asIOException(Throwable failure, Route route) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof IOException) {
      return (IOException) cause;
    }
    if (cause instanceof CancellationException) {
      return new IOException("Canceled");
    }
    return new PermitDeniedException(route.resource(), String.valueOf(cause.getMessage()), cause);
  }

  static final class DeferredCall {
    final Route route;
    final CallScope scope;
    volatile CompletableFuture<CallPermit> pending;
    private CallPermit granted;

    DeferredCall(Route route, CallScope scope) {
      this.route = route;
      this.scope = scope;
    }

    synchronized CallPermit takeGranted() {
      CallPermit p = granted;
      granted = null;
      return p;
    }

    synchronized void setGranted(CallPermit permit) {
      granted = permit;
    }
  }
}
