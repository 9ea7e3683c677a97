package dev.ratequeue.agent.llm;

/**
 * What a quota counts. OpenAI and the IETF headers speak of requests and tokens; Anthropic also limits the
 * input and the output tokens a minute separately, and its {@code tokens} limit is whichever of those two is
 * the tighter at the moment.
 */
public enum LimitKind {
  REQUESTS,
  TOKENS,
  INPUT_TOKENS,
  OUTPUT_TOKENS
}
