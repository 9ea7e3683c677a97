package dev.ratequeue.interceptors.okhttp;

import dev.ratequeue.bootstrap.BodyTail;
import dev.ratequeue.bootstrap.CallPermit;
import java.io.IOException;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;

final class PermitReleasingSource extends ForwardingSource {
  private final CallPermit permit;
  private final BodyTail tail;

  PermitReleasingSource(Source delegate, CallPermit permit, int tailBytes) {
    super(delegate);
    this.permit = permit;
    this.tail = tailBytes > 0 ? new BodyTail(tailBytes) : null;
  }

  @Override
  public long read(Buffer sink, long byteCount) throws IOException {
    long read;
    try {
      read = super.read(sink, byteCount);
    } catch (IOException | RuntimeException e) {
      permit.close();
      throw e;
    }
    if (read == -1) {
      if (tail != null) {
        permit.bodyEnded(tail);
      }
      permit.close();
    } else if (tail != null && read > 0) {
      sink.copyTo(tail, sink.size() - read, read);
    }
    return read;
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      // An SDK's JSON parser stops at the closing brace and closes the body without reading its end.
      if (tail != null && tail.total() > 0) {
        permit.bodyEnded(tail);
      }
      permit.close();
    }
  }
}
