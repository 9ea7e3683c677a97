package dev.ratequeue.interceptors.okhttp;

import dev.ratequeue.bootstrap.CallPermit;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.Okio;

/** The response body as the application reads it; its end (closed, or read to the end) ends the lease. */
final class PermitReleasingBody extends ResponseBody {
  private final ResponseBody delegate;
  private final BufferedSource source;

  PermitReleasingBody(ResponseBody delegate, CallPermit permit) {
    this.delegate = delegate;
    this.source = Okio.buffer(new PermitReleasingSource(delegate.source(), permit));
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public BufferedSource source() {
    return source;
  }
}
