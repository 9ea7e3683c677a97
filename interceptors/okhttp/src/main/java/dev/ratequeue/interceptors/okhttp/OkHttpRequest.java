package dev.ratequeue.interceptors.okhttp;

import dev.ratequeue.bootstrap.OutboundRequest;
import java.io.IOException;
import java.lang.reflect.Method;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;

/**
 * An OkHttp request as a load estimator reads it. The body is read only when OkHttp itself would send
 * it again (a retry, a redirect): not one-shot (OkHttp 3.14+; 3.12 has no one-shot bodies) and of a
 * known length.
 */
final class OkHttpRequest implements OutboundRequest {
  private static final Method IS_ONE_SHOT = oneShot();

  private final Request request;
  private boolean read;
  private byte[] body;

  OkHttpRequest(Request request) {
    this.request = request;
  }

  private static Method oneShot() {
    try {
      return RequestBody.class.getMethod("isOneShot");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  @Override
  public String method() {
    return request.method();
  }

  @Override
  public String path() {
    return request.url().encodedPath();
  }

  @Override
  public String header(String name) {
    return request.header(name);
  }

  @Override
  public synchronized byte[] body() {
    if (!read) {
      read = true;
      body = readBody();
    }
    return body;
  }

  private byte[] readBody() {
    RequestBody b = request.body();
    if (b == null) {
      return null;
    }
    try {
      if (IS_ONE_SHOT != null && (Boolean) IS_ONE_SHOT.invoke(b)) {
        return null;
      }
      long length = b.contentLength();
      if (length < 0 || length > MAX_BODY_BYTES) {
        return null;
      }
      Buffer buffer = new Buffer();
      b.writeTo(buffer);
      return buffer.readByteArray();
    } catch (IOException | ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
