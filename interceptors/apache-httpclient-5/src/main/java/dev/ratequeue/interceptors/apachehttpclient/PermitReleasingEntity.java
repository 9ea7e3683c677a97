package dev.ratequeue.interceptors.apachehttpclient;

import dev.ratequeue.bootstrap.CallPermit;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/** The response entity; read to the end, written out, or closed, it ends the lease. */
final class PermitReleasingEntity extends HttpEntityWrapper {
  private final CallPermit permit;
  private final int tailBytes;

  PermitReleasingEntity(HttpEntity delegate, CallPermit permit, int tailBytes) {
    super(delegate);
    this.permit = permit;
    this.tailBytes = tailBytes;
  }

  @Override
  public InputStream getContent() throws IOException {
    InputStream in = super.getContent();
    if (in == null) {
      permit.close();
      return null;
    }
    return new PermitReleasingInputStream(in, permit, tailBytes);
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    try {
      super.writeTo(out);
    } finally {
      permit.close();
    }
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
