package dev.ratequeue.interceptors.okhttp;

import dev.ratequeue.bootstrap.CallPermit;
import java.io.IOException;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;

final class PermitReleasingSource extends ForwardingSource {
  private final CallPermit permit;

  PermitReleasingSource(Source delegate, CallPermit permit) {
    super(delegate);
    this.permit = permit;
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
      permit.close();
    }
    return read;
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      permit.close();
    }
  }
}
