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

  /** {@code tailBytes}: how much of the end of the body the permit wants to see (0: nothing). */
  PermitReleasingBody(ResponseBody delegate, CallPermit permit, int tailBytes) {
    this.delegate = delegate;
    this.source = Okio.buffer(new PermitReleasingSource(delegate.source(), permit, tailBytes));
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
