package dev.ratequeue.interceptors.javahttpclient;

import dev.ratequeue.bootstrap.OutboundRequest;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A {@code java.net.http} request as a load estimator reads it. The body publisher is subscribed once
 * more, as the client itself does for a retry or a redirect; only a publisher of known length that
 * delivers everything while it is asked (the JDK's {@code ofString}, {@code ofByteArray}) is read,
 * never one that would make this thread wait.
 */
final class JdkRequest implements OutboundRequest {
  private final HttpRequest request;
  private boolean read;
  private byte[] body;

  JdkRequest(HttpRequest request) {
    this.request = request;
  }

  @Override
  public String method() {
    return request.method();
  }

  @Override
  public String path() {
    String path = request.uri().getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  @Override
  public String header(String name) {
    return request.headers().firstValue(name).orElse(null);
  }

  @Override
  public synchronized byte[] body() {
    if (!read) {
      read = true;
      body = request.bodyPublisher().map(JdkRequest::drain).orElse(null);
    }
    return body;
  }

  private static byte[] drain(HttpRequest.BodyPublisher publisher) {
    long length = publisher.contentLength();
    if (length < 0 || length > MAX_BODY_BYTES) {
      return null;
    }
    Collector collector = new Collector();
    try {
      publisher.subscribe(collector);
    } catch (RuntimeException e) {
      return null;
    }
    return collector.result();
  }

  /** Takes what is delivered during subscribe and request; anything later is cancelled, not awaited. */
  private static final class Collector implements Flow.Subscriber<ByteBuffer> {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private boolean complete;
    private boolean failed;

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public synchronized void onNext(ByteBuffer item) {
      if (bytes.size() + item.remaining() > MAX_BODY_BYTES) {
        failed = true;
        subscription.cancel();
        return;
      }
      ByteBuffer b = item.duplicate();
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }

    @Override
    public synchronized void onError(Throwable throwable) {
      failed = true;
    }

    @Override
    public synchronized void onComplete() {
      complete = true;
    }

    synchronized byte[] result() {
      if (!complete || failed) {
        if (subscription != null) {
          subscription.cancel();
        }
        return null;
      }
      return bytes.toByteArray();
    }
  }
}
