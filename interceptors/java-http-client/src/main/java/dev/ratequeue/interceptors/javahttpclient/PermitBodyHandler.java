package dev.ratequeue.interceptors.javahttpclient;

import java.net.http.HttpResponse;

/** The application's body handler, wrapped for a call to a mapped host. */
final class PermitBodyHandler<T> implements HttpResponse.BodyHandler<T> {
  private final HttpResponse.BodyHandler<T> delegate;
  private final JdkHttpCall call;

  private PermitBodyHandler(HttpResponse.BodyHandler<T> delegate, JdkHttpCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  static <T> PermitBodyHandler<T> of(HttpResponse.BodyHandler<T> delegate, JdkHttpCall call) {
    return new PermitBodyHandler<>(delegate, call);
  }

  JdkHttpCall call() {
    return call;
  }

  @Override
  public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
    int tail = call.responded(info.statusCode(), name -> info.headers().firstValue(name).orElse(null));
    return new PermitBodySubscriber<>(delegate.apply(info), call, tail);
  }
}
