package dev.ratequeue.coordination.local;

/** The clock of local decisions, injectable so the grant math can be tested on a fake clock. */
interface Ticker {
  Ticker SYSTEM = System::nanoTime;

  long nanos();
}
