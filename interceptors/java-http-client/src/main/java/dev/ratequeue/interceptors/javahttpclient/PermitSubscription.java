package dev.ratequeue.interceptors.javahttpclient;

import java.util.concurrent.Flow;

/** A body the application stops reading (an input stream closed early) ends the lease too. */
final class PermitSubscription implements Flow.Subscription {
  private final Flow.Subscription delegate;
  private final JdkHttpCall call;

  PermitSubscription(Flow.Subscription delegate, JdkHttpCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  @Override
  public void request(long n) {
    delegate.request(n);
  }

  @Override
  public void cancel() {
    call.finished();
    delegate.cancel();
  }
}
