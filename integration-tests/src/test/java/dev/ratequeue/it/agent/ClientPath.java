package dev.ratequeue.it.agent;

/** Every way the agent limits a call, as the issue names them; each test that is about one path runs on all. */
enum ClientPath {
  OKHTTP_EXECUTE("okhttp", "sync", ClientLib.OKHTTP_4),
  OKHTTP_ENQUEUE("okhttp", "async", ClientLib.OKHTTP_4),
  HTTPCLIENT5_CLASSIC("hc5", "sync", ClientLib.HTTPCLIENT5_LATEST),
  HTTPCLIENT5_ASYNC("hc5", "async", ClientLib.HTTPCLIENT5_LATEST),
  JAVA_HTTP_SEND("jdk", "sync", ClientLib.JDK_ONLY),
  JAVA_HTTP_SEND_ASYNC("jdk", "async", ClientLib.JDK_ONLY),
  RATE_LIMITED_METHOD("annotated", "sync", ClientLib.JDK_ONLY),
  RATE_LIMITED_FUTURE("annotated", "async", ClientLib.JDK_ONLY);

  final String client;
  final String mode;
  final ClientLib lib;

  ClientPath(String client, String mode, ClientLib lib) {
    this.client = client;
    this.mode = mode;
    this.lib = lib;
  }

  /** {@code @RateLimited} methods name their resource in the annotation: {@code annotated}. */
  String resource() {
    return client.equals("annotated") ? "annotated" : "upstream";
  }

  boolean async() {
    return mode.equals("async");
  }

  String[] args(String... more) {
    String[] all = new String[more.length + 2];
    all[0] = "client=" + client;
    all[1] = "mode=" + mode;
    System.arraycopy(more, 0, all, 2, more.length);
    return all;
  }
}
