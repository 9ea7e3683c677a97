package dev.ratequeue.interceptors.apachehttpclient;

import dev.ratequeue.bootstrap.BodyTail;
import dev.ratequeue.bootstrap.CallPermit;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

final class PermitReleasingInputStream extends FilterInputStream {
  private final CallPermit permit;
  private final BodyTail tail;

  PermitReleasingInputStream(InputStream in, CallPermit permit, int tailBytes) {
    super(in);
    this.permit = permit;
    this.tail = tailBytes > 0 ? new BodyTail(tailBytes) : null;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0 && tail != null) {
      tail.write(b);
    }
    return ended(b);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0 && tail != null) {
      tail.write(b, off, n);
    }
    return ended(n);
  }

  private int ended(int result) {
    if (result == -1) {
      if (tail != null) {
        permit.bodyEnded(tail);
      }
      permit.close();
    }
    return result;
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      // A JSON parser stops at the closing brace and closes the stream without reading its end.
      if (tail != null && tail.total() > 0) {
        permit.bodyEnded(tail);
      }
      permit.close();
    }
  }
}
