package dev.ratequeue.coordination;

/** Which of a resource's rates something is about: its {@code requests} or its {@code load}. */
public enum LimitKind {
  REQUESTS,
  LOAD
}
