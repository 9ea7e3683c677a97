package dev.ratequeue.interceptors.apachehttpclient;

import dev.ratequeue.bootstrap.OutboundRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * An HttpClient request as a load estimator reads it. A body is read only when its entity (classic)
 * or entity producer (async) says it is repeatable, as HttpClient's own retries require, and has a
 * known length; an async producer is run into a buffer and released, which rewinds a repeatable one.
 */
final class ApacheRequest implements OutboundRequest {
  private final HttpRequest request;
  private final HttpEntity entity;
  private final AsyncEntityProducer producer;
  private boolean read;
  private byte[] body;

  ApacheRequest(HttpRequest request, HttpEntity entity, AsyncEntityProducer producer) {
    this.request = request;
    this.entity = entity;
    this.producer = producer;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String path() {
    String path = request.getPath();
    if (path == null) {
      return "/";
    }
    int query = path.indexOf('?');
    return query >= 0 ? path.substring(0, query) : path;
  }

  @Override
  public String header(String name) {
    Header h = request.getFirstHeader(name);
    return h == null ? null : h.getValue();
  }

  @Override
  public synchronized byte[] body() {
    if (!read) {
      read = true;
      try {
        body = entity != null ? entityBody() : producer != null ? producerBody() : null;
      } catch (IOException | RuntimeException e) {
        body = null;
      }
    }
    return body;
  }

  private byte[] entityBody() throws IOException {
    long length = entity.getContentLength();
    if (!entity.isRepeatable() || length < 0 || length > MAX_BODY_BYTES) {
      return null;
    }
    return EntityUtils.toByteArray(entity);
  }

  private byte[] producerBody() throws IOException {
    long length = producer.getContentLength();
    if (!producer.isRepeatable() || length < 0 || length > MAX_BODY_BYTES) {
      return null;
    }
    Capture capture = new Capture();
    try {
      for (int rounds = 0; !capture.ended && rounds < 10_000 && capture.bytes.size() <= length; rounds++) {
        producer.produce(capture);
      }
    } finally {
      producer.releaseResources();
    }
    return capture.ended ? capture.bytes.toByteArray() : null;
  }

  /** Takes what a producer writes, at once and all of it. */
  private static final class Capture implements DataStreamChannel {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean ended;

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      byte[] chunk = new byte[n];
      src.get(chunk);
      bytes.write(chunk, 0, n);
      return n;
    }

    @Override
    public void endStream() {
      ended = true;
    }

    @Override
    public void endStream(List<? extends Header> trailers) {
      ended = true;
    }

    @Override
    public void requestOutput() {}
  }
}
