package dev.ratequeue.agent.gate;

/** What one call was reckoned to weigh before it went, and whether its response can tell what it really cost. */
final class CallEstimate {
  static final CallEstimate ONE = new CallEstimate(1, false, 0);

  final long load;
  /** An OpenAI-compatible call: its response's {@code usage} reconciles the load. */
  final boolean fromUsage;
  /** The prompt's part of {@link #load}, for a stream whose usage gives its output tokens only. */
  final long promptTokens;

  CallEstimate(long load, boolean fromUsage, long promptTokens) {
    this.load = load;
    this.fromUsage = fromUsage;
    this.promptTokens = promptTokens;
  }

  static CallEstimate of(long load) {
    return load == 1 ? ONE : new CallEstimate(load, false, 0);
  }
}
