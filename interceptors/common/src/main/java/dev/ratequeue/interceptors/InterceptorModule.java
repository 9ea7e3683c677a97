package dev.ratequeue.interceptors;

import java.util.List;

/**
 * What one client library's interceptor gives the agent: the types to transform, the advice to put
 * into them (named, never loaded by the agent: advice is inlined into the library's classes), and
 * the helper classes that advice calls, which the agent injects into the library's class loader.
 *
 * <p>Advice may call only the bootstrap bridge ({@code dev.ratequeue.bootstrap}), the library, the
 * JDK and the module's own helpers; helpers likewise. Neither may throw anything of the agent's into
 * the application: see {@code RateQueueBridge#internalError}.
 */
public interface InterceptorModule {
  /** Short and stable: logs name it, and {@code ratequeue.interceptors.<name>.enabled=false} turns it off. */
  String name();

  /**
   * A class every class loader that holds the library can load, e.g. {@code okhttp3.OkHttpClient}:
   * other class loaders skip this module's matchers altogether.
   */
  String markerClassName();

  /** Injected into the class loader of every transformed type, in this order (a class before those using it). */
  List<String> helperClassNames();

  List<TypeAdvice> typeAdvice();
}
