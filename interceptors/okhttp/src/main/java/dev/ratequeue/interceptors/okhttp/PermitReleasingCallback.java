package dev.ratequeue.interceptors.okhttp;

import java.io.IOException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/**
 * The application's callback, reached once the call ends; a permit its enqueue waited for but that
 * no request used (a cached response, a failure before sending) is given back then.
 */
final class PermitReleasingCallback implements Callback {
  private final Callback delegate;
  private final OkHttpAsyncCalls.DeferredCall deferred;

  PermitReleasingCallback(Callback delegate, OkHttpAsyncCalls.DeferredCall deferred) {
    this.delegate = delegate;
    this.deferred = deferred;
  }

  @Override
  public void onFailure(Call call, IOException e) {
    OkHttpAsyncCalls.finished(call, deferred);
    delegate.onFailure(call, e);
  }

  @Override
  public void onResponse(Call call, Response response) throws IOException {
    OkHttpAsyncCalls.finished(call, deferred);
    delegate.onResponse(call, response);
  }
}
