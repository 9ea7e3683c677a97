package dev.ratequeue.coordination.local;

import dev.ratequeue.coordination.AdaptiveRate;
import dev.ratequeue.coordination.LimitKind;
import dev.ratequeue.coordination.MaxWaitExceededException;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.RateQueueException;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceSnapshot;
import dev.ratequeue.coordination.internal.Acquisitions;
import dev.ratequeue.coordination.internal.QueueingLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The grant decision for the threads of one JVM. The Redis coordinator's Lua script makes the
 * same decision for many JVMs; both pass the same conformance suite.
 *
 * <h2>The decision</h2>
 * Each rate is a GCRA with debt: a theoretical arrival time {@code tat} per limit, an emission
 * interval {@code T = period / N} and a tolerance {@code tau = burst * T}. The head of the queue
 * may start at {@code start = max(now, pausedUntil, tatRequests - tauRequests, tatLoad - tauLoad)}
 * if a concurrency slot is free; admitting it moves {@code tat = max(tat, start) + units * T}.
 * Admission looks only at whether the limiter has drained, not at the call's own load, so a load
 * larger than the burst is admitted on its turn and delays the calls behind it instead of starving.
 *
 * <h2>Order</h2>
 * Strictly by priority (higher first), then arrival. Only the head is considered; when it cannot
 * start, nobody behind it can, since every call faces the same limits.
 *
 * <h2>Lookahead</h2>
 * A head whose start is at most {@code lookahead} away is granted now and released by the timer at
 * its start. Deciding before the turn is what keeps the limiter at 100% of its rate: the next turn
 * is computed from the previous turn, never from the late moment a timer happened to fire.
 *
 * <p>All state is guarded by one lock; futures are completed after it is released, asynchronous
 * ones on the completion pool so no application callback runs under the lock or on the timer.
 */
final class LocalResourceLimiter extends QueueingLimiter {
  private final String name;
  private final Ticker ticker;
  private final long lookaheadNanos;
  private final ScheduledExecutorService timer;
  private final Executor completions;
  private final long epochOffsetNanos;

  private final ReentrantLock lock = new ReentrantLock();
  private volatile ResourceLimits limits;
  private double tatRequests;
  private double tatLoad;
  private long pausedUntil;
  /** An adaptive rate's factor as of {@code factorSince}; it grows from there (see AdaptiveRate). */
  private double factor = 1.0;
  private long factorSince;
  private long lastCut = Long.MIN_VALUE / 2;
  private long sequence;
  private final TreeSet<Waiter> queue = new TreeSet<>(Waiter.ORDER);
  /** Waiting count and load per priority: predicted waits and snapshots without walking the queue. */
  private final TreeMap<Integer, long[]> waitingByPriority = new TreeMap<>();
  private final Map<LocalPermit, Long> leases = new LinkedHashMap<>();
  private final SecondCounter granted = new SecondCounter();
  private ScheduledFuture<?> wake;
  private long wakeAt;
  private boolean closed;

  LocalResourceLimiter(ResourceLimits limits, Ticker ticker, Duration lookahead, ScheduledExecutorService timer,
      Executor completions) {
    this.name = limits.name();
    this.limits = limits;
    this.ticker = ticker;
    this.lookaheadNanos = lookahead.toNanos();
    this.timer = timer;
    this.completions = completions;
    long now = ticker.nanos();
    this.epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - now;
    this.tatRequests = now;
    this.tatLoad = now;
    this.pausedUntil = now;
    this.factorSince = now;
  }

  @Override
  public String resource() {
    return name;
  }

  @Override
  public ResourceLimits limits() {
    return limits;
  }

  @Override
  protected Optional<Permit> tryNow(long load, int priority) {
    Acquisitions.requireValidLoad(load);
    lock.lock();
    try {
      long now = ticker.nanos();
      expireLeases(now);
      boolean nobodyAhead = waitingByPriority.isEmpty() || waitingByPriority.lastKey() < priority;
      if (closed || !nobodyAhead || !slotFree() || start(now) > now) {
        return Optional.empty();
      }
      return Optional.of(admit(load, now));
    } finally {
      lock.unlock();
    }
  }

  @Override
  protected CompletableFuture<Permit> enqueue(long load, int priority, boolean synchronous) {
    Acquisitions.requireValidLoad(load);
    List<Runnable> completed = new ArrayList<>();
    Waiter waiter;
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(new RateQueueException("coordinator is closed"));
      }
      long now = ticker.nanos();
      ResourceLimits l = limits;
      long predicted = predictedWait(now, load, priority);
      if (predicted > l.maxWait().toNanos()) {
        return CompletableFuture.failedFuture(new MaxWaitExceededException(name, limitingFactor(now, priority),
            Duration.ofNanos(predicted), l.maxWait(), true));
      }
      waiter = new Waiter(load, priority, sequence++, now, synchronous);
      queue.add(waiter);
      waitingByPriority.computeIfAbsent(priority, p -> new long[2])[0]++;
      waitingByPriority.get(priority)[1] += load;
      dispatch(now, completed);
      if (!waiter.future.isDone() && queue.contains(waiter)) {
        waiter.deadline = timer.schedule(() -> expire(waiter), l.maxWait().toNanos(), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
    completed.forEach(Runnable::run);
    waiter.future.whenComplete((p, failure) -> {
      if (failure instanceof CancellationException) {
        cancel(waiter);
      }
    });
    return waiter.future;
  }

  /**
   * Grants from the head while the head can start within the lookahead. Fills {@code completed}
   * with the completions to run once the lock is released.
   */
  private void dispatch(long now, List<Runnable> completed) {
    expireLeases(now);
    while (!queue.isEmpty()) {
      Waiter head = queue.first();
      if (head.future.isDone()) {
        remove(head);
        continue;
      }
      if (!slotFree()) {
        leases.values().stream().min(Long::compare).ifPresent(this::wakeAt);
        return;
      }
      long start = start(now);
      if (start > now + lookaheadNanos) {
        // Half a lookahead early: each wake grants several turns and a late timer loses none.
        wakeAt(start - lookaheadNanos / 2);
        return;
      }
      remove(head);
      LocalPermit permit = admit(head.load, start);
      completed.add(() -> deliver(head, permit, start));
    }
  }

  private void deliver(Waiter waiter, LocalPermit permit, long start) {
    long delay = start - ticker.nanos();
    Runnable complete = () -> {
      if (!waiter.future.complete(permit)) {
        permit.giveBack();
      }
    };
    if (delay > 0) {
      timer.schedule(waiter.synchronous ? complete : () -> completions.execute(complete), delay, TimeUnit.NANOSECONDS);
    } else if (waiter.synchronous) {
      complete.run();
    } else {
      completions.execute(complete);
    }
  }

  /** The share of the configured rates in force at {@code now}: 1 but for an adaptive rate. */
  private double factor(long now) {
    return limits.adaptive().map(a -> a.grown(factor, (now - factorSince) / 1000.0)).orElse(1.0);
  }

  private double requestInterval(long now) {
    return limits.requests().get().intervalNanos() / factor(now);
  }

  private double loadInterval(long now) {
    return limits.load().get().intervalNanos() / factor(now);
  }

  /** The earliest time the head may start under the rates and the pause, ignoring concurrency. */
  private long start(long now) {
    ResourceLimits l = limits;
    double start = Math.max(now, pausedUntil);
    if (l.requests().isPresent()) {
      start = Math.max(start, tatRequests - l.burst() * requestInterval(now));
    }
    if (l.load().isPresent()) {
      start = Math.max(start, tatLoad - l.loadBurst() * loadInterval(now));
    }
    return (long) Math.ceil(start);
  }

  private LocalPermit admit(long load, long start) {
    ResourceLimits l = limits;
    long now = ticker.nanos();
    if (l.requests().isPresent()) {
      tatRequests = Math.max(tatRequests, start) + requestInterval(now);
    }
    if (l.load().isPresent()) {
      tatLoad = Math.max(tatLoad, start) + load * loadInterval(now);
    }
    granted.add(start, 1, load);
    LocalPermit permit = new LocalPermit(this, load, start, l.concurrency() > 0);
    if (l.concurrency() > 0) {
      leases.put(permit, start + l.maxHold().toNanos());
    }
    return permit;
  }

  private boolean slotFree() {
    int concurrency = limits.concurrency();
    return concurrency == 0 || leases.size() < concurrency;
  }

  private void expireLeases(long now) {
    for (Iterator<Long> it = leases.values().iterator(); it.hasNext(); ) {
      if (it.next() <= now) {
        it.remove();
      }
    }
  }

  private long predictedWait(long now, long load, int priority) {
    ResourceLimits l = limits;
    long aheadCount = 0;
    long aheadLoad = 0;
    for (long[] waiting : waitingByPriority.tailMap(priority, true).values()) {
      aheadCount += waiting[0];
      aheadLoad += waiting[1];
    }
    double wait = pausedUntil - now;
    if (l.requests().isPresent()) {
      double interval = requestInterval(now);
      wait = Math.max(wait, tatRequests - l.burst() * interval - now + aheadCount * interval);
    }
    if (l.load().isPresent()) {
      double interval = loadInterval(now);
      wait = Math.max(wait, tatLoad - l.loadBurst() * interval - now + aheadLoad * interval);
    }
    return Math.max(0, (long) wait);
  }

  /** The limit that holds calls at {@code priority} back right now, as the user wrote it. */
  private String limitingFactor(long now, int priority) {
    ResourceLimits l = limits;
    if (pausedUntil > now) {
      return "a pause (" + Duration.ofNanos(pausedUntil - now).toMillis() + "ms left)";
    }
    double requestsWait = l.requests().isPresent() ? predictedRequestWait(now, priority) : -1;
    double loadWait = l.load().isPresent() ? predictedLoadWait(now, priority) : -1;
    if (requestsWait < 0 && loadWait < 0) {
      return l.concurrency() > 0 ? "concurrency = " + l.concurrency() : "queue";
    }
    return requestsWait >= loadWait ? "requests = " + l.requests().get() : "load = " + l.load().get();
  }

  private double predictedRequestWait(long now, int priority) {
    double interval = requestInterval(now);
    long ahead = waitingByPriority.tailMap(priority, true).values().stream().mapToLong(w -> w[0]).sum();
    return tatRequests - limits.burst() * interval - now + ahead * interval;
  }

  private double predictedLoadWait(long now, int priority) {
    double interval = loadInterval(now);
    long ahead = waitingByPriority.tailMap(priority, true).values().stream().mapToLong(w -> w[1]).sum();
    return tatLoad - limits.loadBurst() * interval - now + ahead * interval;
  }

  private void remove(Waiter waiter) {
    if (queue.remove(waiter)) {
      long[] waiting = waitingByPriority.get(waiter.priority);
      waiting[0]--;
      waiting[1] -= waiter.load;
      if (waiting[0] == 0) {
        waitingByPriority.remove(waiter.priority);
      }
      if (waiter.deadline != null) {
        waiter.deadline.cancel(false);
      }
    }
  }

  private void wakeAt(long at) {
    if (wake != null && !wake.isDone() && wakeAt <= at) {
      return;
    }
    if (wake != null) {
      wake.cancel(false);
    }
    wakeAt = at;
    wake = timer.schedule(this::onWake, Math.max(0, at - ticker.nanos()), TimeUnit.NANOSECONDS);
  }

  private void onWake() {
    withDispatch(() -> wake = null);
  }

  /** Runs {@code change} under the lock, then lets the queue move: every state change ends here. */
  private void withDispatch(Runnable change) {
    List<Runnable> completed = new ArrayList<>();
    lock.lock();
    try {
      change.run();
      if (!closed) {
        dispatch(ticker.nanos(), completed);
      }
    } finally {
      lock.unlock();
    }
    completed.forEach(Runnable::run);
  }

  private void expire(Waiter waiter) {
    boolean[] expired = new boolean[1];
    String[] limit = new String[1];
    withDispatch(() -> {
      if (queue.contains(waiter)) {
        limit[0] = limitingFactor(ticker.nanos(), waiter.priority);
        remove(waiter);
        expired[0] = true;
      }
    });
    if (expired[0]) {
      ResourceLimits l = limits;
      waiter.future.completeExceptionally(
          new MaxWaitExceededException(name, limit[0], l.maxWait(), l.maxWait(), false));
    }
  }

  private void cancel(Waiter waiter) {
    withDispatch(() -> remove(waiter));
  }

  /** A granted permit whose caller had gone: its rate slot was never used, so it is refunded. */
  void giveBack(LocalPermit permit) {
    withDispatch(() -> {
      ResourceLimits l = limits;
      long now = ticker.nanos();
      if (l.requests().isPresent()) {
        tatRequests -= requestInterval(now);
      }
      if (l.load().isPresent()) {
        tatLoad -= permit.load() * loadInterval(now);
      }
      leases.remove(permit);
    });
  }

  void release(LocalPermit permit) {
    withDispatch(() -> leases.remove(permit));
  }

  void reconcile(LocalPermit permit, long delta) {
    withDispatch(() -> {
      ResourceLimits l = limits;
      long now = ticker.nanos();
      if (l.load().isPresent()) {
        tatLoad += delta * loadInterval(now);
      }
      granted.add(now, 0, delta);
    });
  }

  java.time.Instant instantOf(long nanos) {
    long epochNanos = epochOffsetNanos + nanos;
    return java.time.Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
        Math.floorMod(epochNanos, 1_000_000_000L));
  }

  @Override
  public void pause(Duration duration) {
    withDispatch(() -> pausedUntil = Math.max(pausedUntil, ticker.nanos() + duration.toNanos()));
  }

  @Override
  public void resume() {
    withDispatch(() -> pausedUntil = ticker.nanos());
  }

  @Override
  public void holdBack(LimitKind kind, Duration delay) {
    withDispatch(() -> {
      ResourceLimits l = limits;
      long now = ticker.nanos();
      long until = now + Math.max(0, delay.toNanos());
      if (kind == LimitKind.REQUESTS && l.requests().isPresent()) {
        tatRequests = Math.max(tatRequests, until + l.burst() * requestInterval(now));
      } else if (kind == LimitKind.LOAD && l.load().isPresent()) {
        tatLoad = Math.max(tatLoad, until + l.loadBurst() * loadInterval(now));
      }
    });
  }

  @Override
  public void overloaded() {
    withDispatch(() -> {
      ResourceLimits l = limits;
      long now = ticker.nanos();
      if (l.adaptive().isPresent() && now - lastCut >= AdaptiveRate.COOLDOWN_MICROS * 1000) {
        factor = l.adaptive().get().cut(factor(now));
        factorSince = now;
        lastCut = now;
      }
    });
  }

  @Override
  public void updateLimits(ResourceLimits newLimits) {
    if (!newLimits.name().equals(name)) {
      throw new IllegalArgumentException("limits of '" + newLimits.name() + "' given to resource '" + name + "'");
    }
    withDispatch(() -> limits = newLimits);
  }

  @Override
  public ResourceSnapshot snapshot() {
    lock.lock();
    try {
      long now = ticker.nanos();
      expireLeases(now);
      ResourceLimits l = limits;
      TreeMap<Integer, Long> depth = new TreeMap<>();
      waitingByPriority.forEach((p, w) -> depth.put(p, w[0]));
      double grants = granted.previousGrants(now);
      double load = granted.previousLoad(now);
      double utilization = 0;
      if (l.requests().isPresent()) {
        utilization = Math.max(utilization, grants / l.requests().get().perSecond());
      }
      if (l.load().isPresent()) {
        utilization = Math.max(utilization, load / l.load().get().perSecond());
      }
      if (l.concurrency() > 0) {
        utilization = Math.max(utilization, (double) leases.size() / l.concurrency());
      }
      return new ResourceSnapshot(name, depth, leases.size(), grants, load, utilization,
          Duration.ofNanos(Math.max(0, pausedUntil - now)), 1, factor(now));
    } finally {
      lock.unlock();
    }
  }

  /** Fails every waiting call; used when the coordinator closes or hands its calls elsewhere. */
  List<Waiter> drain(boolean close) {
    lock.lock();
    try {
      closed |= close;
      List<Waiter> waiting = new ArrayList<>(queue);
      waiting.forEach(this::remove);
      if (wake != null) {
        wake.cancel(false);
      }
      return waiting;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "local " + limits;
  }
}
