package dev.ratequeue.bootstrap;

/**
 * A request about to go, as a resource's load estimator may read it (see {@link Route#readsRequests}).
 * Interceptors build one only for resources that read requests, and read the body only when the
 * client can send it again: reading must never take from the application what it sends.
 */
public interface OutboundRequest {
  /** Bodies larger than this are not read: an estimate from a megabyte of prompt is no better. */
  int MAX_BODY_BYTES = 1 << 20;

  String method();

  /** The path as sent, without the query, e.g. {@code /v1/chat/completions}. */
  String path();

  /** The first value of a request header, or {@code null}. */
  String header(String name);

  /**
   * The body, when the client holds it in a form it can send again and it has at most
   * {@link #MAX_BODY_BYTES}; else {@code null}. May be called more than once; read on first call.
   */
  byte[] body();
}
