package dev.ratequeue.interceptors.okhttp;

import dev.ratequeue.bootstrap.CallPermit;
import dev.ratequeue.bootstrap.RateQueueBridge;
import dev.ratequeue.bootstrap.Route;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Takes the permit of each request on the wire: waits for it (blocking this thread: the caller's
 * for {@code execute()}, or for a redirect of an enqueued call, the dispatcher thread that runs it,
 * which OkHttp blocks on I/O anyway), reports the status to the resource (a 429 pauses it), and
 * hands the concurrency lease to the response body, which ends it when closed or read to the end.
 */
public final class RateQueueNetworkInterceptor implements Interceptor {
  static final RateQueueNetworkInterceptor INSTANCE = new RateQueueNetworkInterceptor();

  private RateQueueNetworkInterceptor() {}

  public static void addTo(OkHttpClient.Builder builder) {
    for (Interceptor existing : builder.networkInterceptors()) {
      if (existing instanceof RateQueueNetworkInterceptor) {
        return; // a builder built twice, or one from client.newBuilder()
      }
    }
    builder.addNetworkInterceptor(INSTANCE);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    HttpUrl url = request.url();
    Route route = RateQueueBridge.route(url.scheme(), url.host(), url.port(), url.encodedPath());
    if (route == null) {
      return chain.proceed(request);
    }
    CallPermit permit = OkHttpAsyncCalls.permitFor(chain.call(), route, request);
    Response response;
    try {
      response = chain.proceed(request);
    } catch (IOException | RuntimeException | Error e) {
      permit.close();
      throw e;
    }
    try {
      int tail = permit.responded(response.code(), response::header);
      ResponseBody body = response.body();
      if (body == null) {
        permit.close();
        return response;
      }
      return response.newBuilder().body(new PermitReleasingBody(body, permit, tail)).build();
    } catch (Throwable t) {
      permit.close();
      RateQueueBridge.internalError("okhttp response", t);
      return response;
    }
  }
}
