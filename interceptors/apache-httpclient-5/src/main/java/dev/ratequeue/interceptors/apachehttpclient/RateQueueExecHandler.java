package dev.ratequeue.interceptors.apachehttpclient;

import dev.ratequeue.bootstrap.CallPermit;
import dev.ratequeue.bootstrap.CallScope;
import dev.ratequeue.bootstrap.RateQueueBridge;
import dev.ratequeue.bootstrap.Route;
import java.io.IOException;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;

/** The classic client: waits on the calling thread, then hands the lease to the response entity. */
public final class RateQueueExecHandler implements ExecChainHandler {
  static final RateQueueExecHandler INSTANCE = new RateQueueExecHandler();

  private RateQueueExecHandler() {}

  @Override
  public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
      throws IOException, HttpException {
    Route route = Requests.route(scope.route.getTargetHost(), request);
    if (route == null) {
      return chain.proceed(request, scope);
    }
    CallScope callScope = CallScope.current();
    CallPermit permit = callScope.holds(route.resource()) ? CallPermit.NONE
        : route.acquire(callScope, route.readsRequests() ? new ApacheRequest(request, request.getEntity(), null) : null);
    ClassicHttpResponse response;
    try {
      response = chain.proceed(request, scope);
    } catch (IOException | HttpException | RuntimeException | Error e) {
      permit.close();
      throw e;
    }
    try {
      int tail = permit.responded(response.getCode(), name -> Requests.header(response, name));
      HttpEntity entity = response.getEntity();
      if (entity == null) {
        permit.close();
      } else {
        response.setEntity(new PermitReleasingEntity(entity, permit, tail));
      }
    } catch (RuntimeException e) {
      permit.close();
      RateQueueBridge.internalError("apache-httpclient-5 response", e);
    }
    return response;
  }
}
