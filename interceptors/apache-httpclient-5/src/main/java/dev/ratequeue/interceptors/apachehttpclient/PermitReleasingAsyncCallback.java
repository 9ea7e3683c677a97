package dev.ratequeue.interceptors.apachehttpclient;

import dev.ratequeue.bootstrap.CallPermit;
import java.io.IOException;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;

/** Reports the status and ends the lease when the exchange completes or fails. */
final class PermitReleasingAsyncCallback implements AsyncExecCallback {
  private final AsyncExecCallback delegate;
  private final CallPermit permit;

  PermitReleasingAsyncCallback(AsyncExecCallback delegate, CallPermit permit) {
    this.delegate = delegate;
    this.permit = permit;
  }

  @Override
  public AsyncDataConsumer handleResponse(HttpResponse response, EntityDetails entityDetails)
      throws HttpException, IOException {
    int tail = permit.responded(response.getCode(), name -> Requests.header(response, name));
    AsyncDataConsumer consumer = delegate.handleResponse(response, entityDetails);
    return tail > 0 && consumer != null ? new TailRecordingConsumer(consumer, permit, tail) : consumer;
  }

  @Override
  public void handleInformationResponse(HttpResponse response) throws HttpException, IOException {
    delegate.handleInformationResponse(response);
  }

  @Override
  public void completed() {
    permit.close();
    delegate.completed();
  }

  @Override
  public void failed(Exception cause) {
    permit.close();
    delegate.failed(cause);
  }
}
