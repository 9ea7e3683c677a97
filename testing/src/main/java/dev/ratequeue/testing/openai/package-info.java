/**
 * The parts of {@link dev.ratequeue.testing.OpenAiUpstream}, each with one job: reading requests
 * ({@link dev.ratequeue.testing.openai.RequestParser}) and counting their tokens
 * ({@link dev.ratequeue.testing.openai.Tokenizer}, {@link dev.ratequeue.testing.openai.PromptCounter}), the limit
 * ({@link dev.ratequeue.testing.openai.SlidingWindowLimit}) and the headers that disclose it
 * ({@link dev.ratequeue.testing.openai.RateLimitHeaders}), and writing answers
 * ({@link dev.ratequeue.testing.openai.Answer}, {@link dev.ratequeue.testing.openai.ResponseBodies},
 * {@link dev.ratequeue.testing.openai.EventStream}). Public so the upstream can use them across packages and tests
 * can check a count or a format directly; not an API of their own.
 */
package dev.ratequeue.testing.openai;
