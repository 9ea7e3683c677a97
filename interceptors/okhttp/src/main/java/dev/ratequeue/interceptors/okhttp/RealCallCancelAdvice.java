package dev.ratequeue.interceptors.okhttp;

import net.bytebuddy.asm.Advice;
import okhttp3.Call;

/** {@code RealCall.cancel()}: a call still waiting for its permit leaves the queue at once. */
final class RealCallCancelAdvice {
  private RealCallCancelAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.This Call call) {
    OkHttpAsyncCalls.cancelled(call);
  }
}
