package dev.ratequeue.interceptors.apachehttpclient;

import dev.ratequeue.bootstrap.BodyTail;
import dev.ratequeue.bootstrap.CallPermit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;

/** The async client's body, as the application's consumer takes it; its end goes to the permit. */
final class TailRecordingConsumer implements AsyncDataConsumer {
  private final AsyncDataConsumer delegate;
  private final CallPermit permit;
  private final BodyTail tail;

  TailRecordingConsumer(AsyncDataConsumer delegate, CallPermit permit, int tailBytes) {
    this.delegate = delegate;
    this.permit = permit;
    this.tail = new BodyTail(tailBytes);
  }

  @Override
  public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
    delegate.updateCapacity(capacityChannel);
  }

  @Override
  public void consume(ByteBuffer src) throws IOException {
    tail.write(src);
    delegate.consume(src);
  }

  @Override
  public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
    permit.bodyEnded(tail);
    delegate.streamEnd(trailers);
  }

  @Override
  public void releaseResources() {
    delegate.releaseResources();
  }
}
