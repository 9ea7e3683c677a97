package dev.ratequeue.it;

import java.util.concurrent.ThreadLocalRandom;

/** Fresh namespaces, so no test ever sees another's keys, even on a Redis they share. */
final class Names {
  private Names() {}

  static String namespace(String test) {
    return "it-" + test + "-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }
}
