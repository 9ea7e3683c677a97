package dev.ratequeue.interceptors.apachehttpclient;

import dev.ratequeue.bootstrap.RateQueueBridge;
import dev.ratequeue.bootstrap.Route;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;

/** Where a request goes, in the bridge's terms. */
final class Requests {
  static final String SCOPE_ATTRIBUTE = "dev.ratequeue.call-scope";

  private Requests() {}

  static Route route(HttpHost target, HttpRequest request) {
    if (target == null) {
      return null;
    }
    String path = request.getPath();
    if (path != null) {
      int query = path.indexOf('?');
      if (query >= 0) {
        path = path.substring(0, query);
      }
    }
    return RateQueueBridge.route(target.getSchemeName(), target.getHostName(), target.getPort(), path);
  }

  /** The first value of a response header, for CallPermit.responded. */
  static String header(HttpResponse response, String name) {
    Header header = response.getFirstHeader(name);
    return header == null ? null : header.getValue();
  }
}
