package dev.ratequeue.interceptors.javahttpclient;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Ends the call's lease when the body is complete, failed, or cancelled by the application. */
final class PermitBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {
  private final HttpResponse.BodySubscriber<T> delegate;
  private final JdkHttpCall call;

  PermitBodySubscriber(HttpResponse.BodySubscriber<T> delegate, JdkHttpCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  @Override
  public CompletionStage<T> getBody() {
    return delegate.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    delegate.onSubscribe(new PermitSubscription(subscription, call));
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    delegate.onNext(item);
  }

  @Override
  public void onError(Throwable throwable) {
    call.finished();
    delegate.onError(throwable);
  }

  @Override
  public void onComplete() {
    call.finished();
    delegate.onComplete();
  }
}
