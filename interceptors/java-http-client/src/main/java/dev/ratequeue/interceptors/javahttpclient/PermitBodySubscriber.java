package dev.ratequeue.interceptors.javahttpclient;

import dev.ratequeue.bootstrap.BodyTail;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Ends the call's lease when the body is complete, failed, or cancelled by the application. */
final class PermitBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {
  private final HttpResponse.BodySubscriber<T> delegate;
  private final JdkHttpCall call;
  private final BodyTail tail;

  PermitBodySubscriber(HttpResponse.BodySubscriber<T> delegate, JdkHttpCall call, int tailBytes) {
    this.delegate = delegate;
    this.call = call;
    this.tail = tailBytes > 0 ? new BodyTail(tailBytes) : null;
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
    if (tail != null) {
      for (ByteBuffer b : item) {
        tail.write(b);
      }
    }
    delegate.onNext(item);
  }

  @Override
  public void onError(Throwable throwable) {
    call.finished();
    delegate.onError(throwable);
  }

  @Override
  public void onComplete() {
    if (tail != null) {
      call.bodyEnded(tail);
    }
    call.finished();
    delegate.onComplete();
  }
}
