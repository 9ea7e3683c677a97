package dev.ratequeue.testing.workers;

import java.net.URI;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** One client library, the way an application uses it: the body is always read to the end, then closed. */
interface Driver {
  /** Sends one GET and returns its status once the body is read. */
  int call(URI uri) throws Exception;

  /** Sends one GET without waiting; exactly one of the two callbacks runs, on the library's thread. */
  void callAsync(URI uri, IntConsumer status, Consumer<Throwable> failure);

  /** {@code args}: the worker's, for what a client needs beyond its name ({@code maxTokens} for the OpenAI SDK). */
  static Driver named(String client, java.util.Map<String, String> args) {
    long maxTokens = Long.parseLong(args.getOrDefault("maxTokens", "40"));
    switch (client) {
      case "okhttp":
        return new OkHttpDriver();
      case "hc5":
        return new ApacheHttpClientDriver();
      case "jdk":
        return new JavaHttpClientDriver();
      case "annotated":
        return new RateLimitedDriver();
      case "openai":
        return new OpenAiDriver(false, maxTokens);
      case "openai-stream":
        return new OpenAiDriver(true, maxTokens);
      default:
        throw new IllegalArgumentException("unknown client " + client);
    }
  }
}
