package dev.ratequeue.interceptors.okhttp;

import net.bytebuddy.asm.Advice;
import okhttp3.Call;
import okhttp3.Callback;

/** {@code RealCall.enqueue(Callback)}: skipped while the call waits for its permit, run again once granted. */
final class RealCallEnqueueAdvice {
  private RealCallEnqueueAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  static boolean enter(@Advice.This Call call, @Advice.Argument(0) Callback callback) {
    return OkHttpAsyncCalls.deferEnqueue(call, callback);
  }
}
