package dev.ratequeue.interceptors.apachehttpclient;

import dev.ratequeue.bootstrap.CallPermit;
import dev.ratequeue.bootstrap.CallScope;
import dev.ratequeue.bootstrap.PermitDeniedException;
import dev.ratequeue.bootstrap.Route;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * The async client: the request proceeds down the chain once its permit is granted, from whatever
 * thread granted it; no I/O reactor thread ever waits. The scope of the first attempt (made on the
 * caller's thread) is kept in the client context for the attempts that follow on reactor threads.
 */
public final class RateQueueAsyncExecHandler implements AsyncExecChainHandler {
  static final RateQueueAsyncExecHandler INSTANCE = new RateQueueAsyncExecHandler();

  private RateQueueAsyncExecHandler() {}

  @Override
  public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
      AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
    Route route = Requests.route(scope.route.getTargetHost(), request);
    if (route == null) {
      chain.proceed(request, entityProducer, scope, callback);
      return;
    }
    Object saved = scope.clientContext.getAttribute(Requests.SCOPE_ATTRIBUTE);
    CallScope callScope;
    if (saved instanceof CallScope) {
      callScope = (CallScope) saved;
    } else {
      callScope = CallScope.current();
      scope.clientContext.setAttribute(Requests.SCOPE_ATTRIBUTE, callScope);
    }
    if (callScope.holds(route.resource())) {
      chain.proceed(request, entityProducer, scope, callback);
      return;
    }
    CompletableFuture<CallPermit> permit = route.acquireAsync(callScope,
        route.readsRequests() ? new ApacheRequest(request, null, entityProducer) : null);
    scope.cancellableDependency.setDependency(() -> permit.cancel(false));
    permit.whenComplete((granted, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        if (!(cause instanceof CancellationException)) {
          callback.failed(cause instanceof Exception ? (Exception) cause
              : new PermitDeniedException(route.resource(), String.valueOf(cause), cause));
        }
        return;
      }
      try {
        chain.proceed(request, entityProducer, scope, new PermitReleasingAsyncCallback(callback, granted));
      } catch (HttpException | IOException | RuntimeException e) {
        granted.close();
        callback.failed(e);
      }
    });
  }
}
