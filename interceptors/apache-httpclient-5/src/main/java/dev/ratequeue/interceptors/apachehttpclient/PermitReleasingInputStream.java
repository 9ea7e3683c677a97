package dev.ratequeue.interceptors.apachehttpclient;

import dev.ratequeue.bootstrap.CallPermit;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

final class PermitReleasingInputStream extends FilterInputStream {
  private final CallPermit permit;

  PermitReleasingInputStream(InputStream in, CallPermit permit) {
    super(in);
    this.permit = permit;
  }

  @Override
  public int read() throws IOException {
    return ended(super.read());
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return ended(super.read(b, off, len));
  }

  private int ended(int result) {
    if (result == -1) {
      permit.close();
    }
    return result;
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
