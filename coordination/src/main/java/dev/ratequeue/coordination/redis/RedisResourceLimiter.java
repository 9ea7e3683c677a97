package dev.ratequeue.coordination.redis;

import dev.ratequeue.coordination.CoordinatorUnavailableException;
import dev.ratequeue.coordination.Durations;
import dev.ratequeue.coordination.LimitKind;
import dev.ratequeue.coordination.MaxWaitExceededException;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.RateQueueException;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceSnapshot;
import dev.ratequeue.coordination.internal.Acquisitions;
import dev.ratequeue.coordination.internal.EngineLog;
import dev.ratequeue.coordination.internal.QueueingLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * This JVM's side of one resource coordinated through Redis.
 *
 * <h2>Batching</h2>
 * At most one script call per resource is in flight from this JVM. Operations that arrive while
 * it is out (acquires, releases, cancels, acknowledgements) ride together on the next call, so an
 * idle JVM pays one round trip per acquire and a busy one pays one round trip per batch, never a
 * compare-and-swap retry.
 *
 * <h2>Grants</h2>
 * A grant for one of our calls arrives either in the reply to our own call or, when another JVM's
 * call dispatched it, as a pub/sub message. Messages are only a hint: the grant is also kept in
 * Redis until we acknowledge it, and calls that waited longer than a heartbeat are checked, so a
 * lost message delays a call by at most one heartbeat instead of losing it. A grant carries a
 * delay: the call starts at its turn by Redis' clock, released here by a timer.
 *
 * <h2>Outages</h2>
 * A failed call switches the resource to its failure policy (logged once): waiting calls move to
 * an in-JVM share of the limits ({@code local}), are let through ({@code allow}) or fail
 * ({@code fail}). Releases and cancels that did not reach Redis are kept and replayed when a
 * probe finds it back, together with cancels of the calls that moved, so nothing leaks there.
 */
final class RedisResourceLimiter extends QueueingLimiter {
  private static final int MAX_OPS_PER_CALL = 128;
  private static final int MAX_CHECKS_PER_HEARTBEAT = 32;
  private static final int MAX_RETAINED_OPS = 10_000;
  private static final long RIDE_ALONG_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
  /**
   * How long a refusal's "nothing before" may answer later tries here without a call. A try refused
   * because the rates (or a pause) allow no call before some time would be refused by Redis until
   * then too, unless another JVM gives time back (a reconcile, a limit raised, a resume); this
   * bounds how late such a change can be seen by a try, while a loop of tries against a full
   * resource costs no round trip for most of them.
   */
  private static final long TRY_REFUSAL_REUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final RedisCoordinator coordinator;
  private final String name;
  private final String[] keys;
  private final ResourceLimits seed;
  private volatile ResourceLimits limits;
  private volatile long limitsVersion = -1;
  private volatile boolean limitsRead;
  private volatile int liveClients = 1;

  private final ConcurrentLinkedDeque<Op> pending = new ConcurrentLinkedDeque<>();
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private final AtomicBoolean rideAlongArmed = new AtomicBoolean();
  private volatile boolean tickWanted;
  private final Map<String, RedisWaiter> waiters = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Object>> answers = new ConcurrentHashMap<>();
  /** Pending try-acquires: answered by a grant or a refusal in the reply to their own call. */
  private final Map<String, RedisWaiter> tries = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  /** Tries are refused here without a call until this {@code System.nanoTime()} (see above). */
  private volatile long triesRefusedUntil = System.nanoTime();

  private final Object wakeLock = new Object();
  private ScheduledFuture<?> wake;
  private long wakeAtNanos;
  private final ScheduledFuture<?> heartbeat;
  /** Runs while the coordinator is unreachable, every recovery-probe interval. */
  private ScheduledFuture<?> probes;

  private final AtomicBoolean degraded = new AtomicBoolean();
  /** Set when an outage was logged, so its end is logged exactly once too. */
  private final AtomicBoolean outageLogged = new AtomicBoolean();
  private final ConcurrentLinkedDeque<Op> retained = new ConcurrentLinkedDeque<>();
  private volatile ResourceLimiter fallback;

  RedisResourceLimiter(RedisCoordinator coordinator, ResourceLimits seed) {
    this.coordinator = coordinator;
    this.name = seed.name();
    this.seed = seed;
    this.limits = seed;
    String prefix = coordinator.options().namespace() + ":{" + name + "}:";
    this.keys = new String[] {prefix + "res", prefix + "q", prefix + "w", prefix + "l", prefix + "j", prefix + "qs"};
    long beat = coordinator.options().leaseTtl().toNanos() / 3;
    pending.add(Op.of(Op.SEED, "", LimitsCodec.encode(seed), ""));
    pending.add(Op.of(Op.HEARTBEAT));
    pending.add(Op.of(Op.READ_LIMITS));
    this.heartbeat = coordinator.timer().scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.NANOSECONDS);
    send();
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
  protected CompletableFuture<Permit> enqueue(long load, int priority, boolean synchronous) {
    Acquisitions.requireValidLoad(load);
    RedisWaiter waiter =
        new RedisWaiter(nextId(), load, priority, synchronous, System.nanoTime(), limits.maxWait().toNanos());
    if (degraded.get()) {
      applyFailurePolicy(waiter, null);
      return waiter.future;
    }
    waiters.put(waiter.id, waiter);
    Duration maxWait = limits.maxWait();
    waiter.deadline = coordinator.timer().schedule(() -> expire(waiter), maxWait.toNanos(), TimeUnit.NANOSECONDS);
    waiter.future.whenComplete((p, failure) -> {
      if (failure instanceof CancellationException && waiters.remove(waiter.id) != null) {
        submit(Op.of(Op.CANCEL, waiter.id));
      }
    });
    submit(Op.of(Op.ENQUEUE, waiter.id, load, priority));
    return waiter.future;
  }

  @Override
  protected Optional<Permit> tryNow(long load, int priority) {
    Acquisitions.requireValidLoad(load);
    if (degraded.get()) {
      return fallbackTry(load, priority);
    }
    if (System.nanoTime() - triesRefusedUntil < 0) {
      return Optional.empty();
    }
    RedisWaiter trial = new RedisWaiter(nextId(), load, priority, true, System.nanoTime(), 0);
    tries.put(trial.id, trial);
    submit(Op.of(Op.TRY, trial.id, load, priority));
    try {
      return Optional.ofNullable(
          trial.future.get(coordinator.options().commandTimeout().toNanos() * 3, TimeUnit.NANOSECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return fallbackTry(load, priority);
    } finally {
      tries.remove(trial.id); // a grant arriving after this is handed back
    }
  }

  private Optional<Permit> fallbackTry(long load, int priority) {
    switch (limits.onCoordinatorFailure()) {
      case ALLOW:
        return Optional.of(new UnlimitedPermit(name, load));
      case FAIL:
        return Optional.empty();
      default:
        return fallback().tryAcquire(load, priority);
    }
  }

  @Override
  public void pause(Duration duration) {
    ask(Op.of(Op.PAUSE, "", LimitsCodec.micros(duration), ""));
  }

  @Override
  public void resume() {
    forgetTryRefusal();
    ask(Op.of(Op.RESUME));
  }

  @Override
  public void holdBack(LimitKind kind, Duration delay) {
    ask(Op.of(Op.HOLD_BACK, "", kind == LimitKind.REQUESTS ? "r" : "l", LimitsCodec.micros(delay)));
  }

  @Override
  public void overloaded() {
    ask(Op.of(Op.OVERLOADED));
  }

  @Override
  public void updateLimits(ResourceLimits newLimits) {
    if (!newLimits.name().equals(name)) {
      throw new IllegalArgumentException("limits of '" + newLimits.name() + "' given to resource '" + name + "'");
    }
    ask(Op.of(Op.UPDATE, "", LimitsCodec.encode(newLimits), ""));
    limits = newLimits;
    forgetTryRefusal();
  }

  @Override
  public ResourceSnapshot snapshot() {
    String encoded = (String) ask(Op.of(Op.SNAPSHOT, nextId(), "", ""));
    return SnapshotCodec.decode(name, encoded, limits);
  }

  private void forgetTryRefusal() {
    triesRefusedUntil = System.nanoTime();
  }

  /** Sends one op and waits for its answer, within the command timeout. */
  private Object ask(Op op) {
    if (degraded.get()) {
      throw unavailable(null);
    }
    Op tagged = op.id.isEmpty() ? Op.of(op.code, nextId(), op.a, op.b) : op;
    CompletableFuture<Object> answer = new CompletableFuture<>();
    answers.put(tagged.id, answer);
    submit(tagged);
    try {
      return answer.get(coordinator.options().commandTimeout().toNanos() * 3, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RateQueueException("interrupted while waiting for the coordinator", e);
    } catch (ExecutionException e) {
      throw Acquisitions.rethrow(e.getCause());
    } catch (TimeoutException e) {
      throw unavailable(e);
    } finally {
      answers.remove(tagged.id);
    }
  }

  private CoordinatorUnavailableException unavailable(Throwable cause) {
    return new CoordinatorUnavailableException(name, coordinator.describe(), limits.onCoordinatorFailure(), cause);
  }

  private String nextId() {
    return coordinator.clientId() + "." + Long.toString(ids.incrementAndGet(), 36);
  }

  // ---- the batcher -------------------------------------------------------------------------

  private void submit(Op op) {
    pending.add(op);
    send();
  }

  /** Queued with the next call, but not worth a call of its own. */
  private void submitLazily(Op op) {
    pending.add(op);
  }

  /**
   * Rides on the next call if one comes within {@link #RIDE_ALONG_NANOS}, else goes alone. An
   * application that closes a permit and acquires again at once then pays one round trip, not two,
   * while a slot freed in an idle JVM reaches other JVMs' waiters a fraction of a millisecond later.
   * When calls of this JVM wait, something is contended and it goes at once.
   */
  private void submitSoon(Op op) {
    pending.add(op);
    if (!waiters.isEmpty()) {
      send();
    } else if (rideAlongArmed.compareAndSet(false, true)) {
      coordinator.timer().schedule(() -> {
        rideAlongArmed.set(false);
        send();
      }, RIDE_ALONG_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  private void tick() {
    synchronized (wakeLock) {
      // This wake-up is under way: the reply to the call it makes may ask for the next one.
      wake = null;
    }
    tickWanted = true;
    send();
  }

  private void send() {
    if (degraded.get() || coordinator.closed() || (pending.isEmpty() && !tickWanted)
        || !inFlight.compareAndSet(false, true)) {
      return;
    }
    List<Op> batch = new ArrayList<>();
    for (Op op; batch.size() < MAX_OPS_PER_CALL && (op = pending.poll()) != null; ) {
      batch.add(op);
    }
    tickWanted = false;
    long sent = System.nanoTime();
    callThenSendMore(batch, (reply, failure) -> {
      if (failure != null) {
        onFailure(batch, failure);
      } else {
        onReply(batch, reply, sent);
      }
    });
  }

  /** The one call in flight: when it completes, its outcome is handled and the next batch goes. */
  private void callThenSendMore(List<Op> batch, BiConsumer<List<Object>, Throwable> outcome) {
    call(batch).whenComplete((reply, failure) -> {
      try {
        outcome.accept(reply, failure);
      } catch (RuntimeException e) {
        coordinator.logUnexpected(name, e);
      } finally {
        inFlight.set(false);
        send();
      }
    });
  }

  /** One script call carrying {@code batch}; see the ARGV layout at the top of ratequeue.lua. */
  private CompletableFuture<List<Object>> call(List<Op> batch) {
    String[] args = new String[5 + batch.size() * 4];
    args[0] = coordinator.clientId();
    args[1] = Long.toString(LimitsCodec.micros(coordinator.options().leaseTtl()));
    args[2] = Long.toString(LimitsCodec.micros(coordinator.options().lookahead()));
    args[3] = coordinator.channelPrefix();
    args[4] = name;
    int i = 5;
    for (Op op : batch) {
      args[i++] = op.code;
      args[i++] = op.id;
      args[i++] = op.a;
      args[i++] = op.b;
    }
    try {
      return coordinator.call(keys, args);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@code sent}: when the call left, no later than Redis' clock read in the script. */
  private void onReply(List<Op> batch, List<Object> reply, long sent) {
    coordinator.recovered(this);
    long wakeMicros = ((Number) reply.get(0)).longValue();
    // The script returns the version as stored (a string) rather than convert it on every call.
    long version = Long.parseLong(String.valueOf(reply.get(1)));
    for (int i = 2; i + 3 < reply.size(); i += 4) {
      String kind = String.valueOf(reply.get(i));
      String id = String.valueOf(reply.get(i + 1));
      Object a = reply.get(i + 2);
      Object b = reply.get(i + 3);
      switch (kind) {
        case "G":
          onGranted(id, ((Number) a).longValue(), Long.parseLong(String.valueOf(b)), false);
          break;
        case "X":
          onRefused(id, ((Number) a).longValue(), String.valueOf(b));
          break;
        case "F":
          long refusedMicros = ((Number) a).longValue();
          if (refusedMicros > 0) {
            // Counted from the call's departure, which was before the script's clock: never late.
            triesRefusedUntil = sent + Math.min(TimeUnit.MICROSECONDS.toNanos(refusedMicros), TRY_REFUSAL_REUSE_NANOS);
          }
          RedisWaiter refused = tries.get(id);
          if (refused != null) {
            refused.future.complete(null);
          }
          break;
        case "Z":
          onUnknownToRedis(id);
          break;
        case "H":
          onLiveClients(((Number) a).intValue());
          answer(id, a);
          break;
        case "L":
          ResourceLimits previous = limits;
          limits = LimitsCodec.decode(name, String.valueOf(a));
          // The first reading follows this JVM's seed, whose outcome (live limits win, a new configuration
          // replaced the old) the seed's reply has logged already; after it, every change is worth a line.
          if (limitsRead && !limits.equals(previous)) {
            coordinator.limitsChanged(previous, limits);
          }
          limitsRead = true;
          limitsVersion = version;
          updateFallbackShare();
          answer(id, limits);
          break;
        case "N":
          answer(id, a);
          break;
        case "S":
          onSeedNotStored(String.valueOf(a), String.valueOf(b));
          break;
        case "M":
          // The limits are gone from Redis (flushed, or a restart without persistence): seed them again.
          for (int k = batch.size() - 1; k >= 0; k--) {
            pending.addFirst(batch.get(k));
          }
          pending.addFirst(Op.of(Op.SEED, "", LimitsCodec.encode(seed), ""));
          return;
        default:
          break;
      }
    }
    for (Op op : batch) {
      if (op.code.equals(Op.PAUSE) || op.code.equals(Op.RESUME) || op.code.equals(Op.UPDATE)
          || op.code.equals(Op.HOLD_BACK) || op.code.equals(Op.OVERLOADED)) {
        answer(op.id, Boolean.TRUE);
      }
    }
    if (version != limitsVersion) {
      // Someone changed the limits: read them (the decisions already use them, inside Redis).
      limitsVersion = version;
      submitLazily(Op.of(Op.READ_LIMITS));
      tickWanted = true;
    }
    if (wakeMicros >= 0) {
      wakeIn(TimeUnit.MICROSECONDS.toNanos(wakeMicros));
    }
  }

  /** Once per seed, so once per JVM start (and after limits went missing): one line, old and new. */
  private void onSeedNotStored(String outcome, String stored) {
    ResourceLimits storedLimits = LimitsCodec.decode(name, stored);
    if (outcome.equals("live")) {
      EngineLog.log(EngineLog.Level.INFO, "RateQueue resource ''{0}'': limits set live win over this JVM''s "
          + "configuration until they are reset (live: {1}; configured here: {2})", name, storedLimits, seed);
    } else {
      EngineLog.log(EngineLog.Level.INFO, "RateQueue resource ''{0}'': this JVM''s configuration replaces the "
          + "configured limits stored by another JVM (was: {1}; now: {2})", name, storedLimits, seed);
    }
  }

  private void answer(String id, Object value) {
    CompletableFuture<Object> answer = answers.get(id);
    if (answer != null) {
      answer.complete(value);
    }
  }

  /** A pub/sub message from whichever JVM dispatched our calls: {@code G id delay start} and {@code W - delay 0}. */
  void onMessage(String[] tokens) {
    for (int i = 1; i + 3 < tokens.length; i += 4) {
      if (tokens[i].equals("G")) {
        onGranted(tokens[i + 1], Long.parseLong(tokens[i + 2]), Long.parseLong(tokens[i + 3]), true);
      } else if (tokens[i].equals("W")) {
        wakeIn(TimeUnit.MICROSECONDS.toNanos(Long.parseLong(tokens[i + 2])));
      }
    }
  }

  private void onGranted(String id, long delayMicros, long startMicros, boolean byMessage) {
    if (byMessage) {
      submitLazily(Op.of(Op.ACK, id));
    }
    RedisWaiter waiter = waiters.remove(id);
    if (waiter == null) {
      waiter = tries.remove(id);
    }
    if (waiter == null) {
      // Granted after we gave up on it (max-wait, cancel, a retried call): hand it straight back.
      submit(Op.of(Op.CANCEL, id));
      return;
    }
    RedisPermit permit = new RedisPermit(this, id, waiter.load, startMicros, limits.concurrency() > 0);
    if (waiter.deadline != null) {
      waiter.deadline.cancel(false);
    }
    RedisWaiter granted = waiter;
    Runnable complete = () -> {
      if (!granted.future.complete(permit)) {
        permit.giveBack();
      }
    };
    long delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
    if (delayNanos > 0) {
      coordinator.timer().schedule(granted.synchronous ? complete : () -> coordinator.completions().execute(complete),
          delayNanos, TimeUnit.NANOSECONDS);
    } else if (granted.synchronous) {
      complete.run();
    } else {
      coordinator.completions().execute(complete);
    }
  }

  private void onRefused(String id, long predictedMicros, String limitCode) {
    RedisWaiter waiter = waiters.remove(id);
    if (waiter == null) {
      return;
    }
    if (waiter.deadline != null) {
      waiter.deadline.cancel(false);
    }
    ResourceLimits l = limits;
    waiter.future.completeExceptionally(new MaxWaitExceededException(name, describeLimit(limitCode, l),
        Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(predictedMicros)), l.maxWait(), true));
  }

  private static String describeLimit(String code, ResourceLimits l) {
    switch (code) {
      case "r":
        return "requests = " + l.requests().map(String::valueOf).orElse("?");
      case "l":
        return "load = " + l.load().map(String::valueOf).orElse("?");
      case "c":
        return "concurrency = " + l.concurrency();
      default:
        return "a pause";
    }
  }

  /** Redis has no trace of a call we still wait for (purged, or Redis restarted): ask again. */
  private void onUnknownToRedis(String id) {
    RedisWaiter waiter = waiters.get(id);
    if (waiter != null && !waiter.future.isDone()) {
      submit(Op.of(Op.ENQUEUE, id, waiter.load, waiter.priority));
    }
  }

  private void onLiveClients(int clients) {
    if (clients > 0 && clients != liveClients) {
      liveClients = clients;
      updateFallbackShare();
    }
  }

  private void expire(RedisWaiter waiter) {
    if (waiters.remove(waiter.id) != null) {
      submit(Op.of(Op.CANCEL, waiter.id));
      waiter.future.completeExceptionally(waitedTooLong());
    }
  }

  private MaxWaitExceededException waitedTooLong() {
    ResourceLimits l = limits;
    String limit = l.concurrency() > 0 ? "concurrency = " + l.concurrency()
        : l.requests().isPresent() ? "requests = " + l.requests().get()
        : l.load().map(r -> "load = " + r).orElse("queue");
    return new MaxWaitExceededException(name, limit, l.maxWait(), l.maxWait(), false);
  }

  private void wakeIn(long delayNanos) {
    long at = System.nanoTime() + delayNanos;
    synchronized (wakeLock) {
      if (coordinator.closed()) {
        return;
      }
      if (wake != null && !wake.isDone() && wakeAtNanos <= at) {
        return;
      }
      if (wake != null) {
        wake.cancel(false);
      }
      wakeAtNanos = at;
      wake = coordinator.timer().schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void heartbeat() {
    try {
      if (degraded.get()) {
        return; // the probes are at work
      }
      long stale = System.nanoTime() - coordinator.options().leaseTtl().toNanos() / 3;
      waiters.values().stream().filter(w -> w.enqueuedAtNanos < stale)
          .sorted(Comparator.comparingLong(w -> w.enqueuedAtNanos)).limit(MAX_CHECKS_PER_HEARTBEAT)
          .forEach(w -> pending.add(Op.of(Op.CHECK, w.id)));
      submit(Op.of(Op.HEARTBEAT, nextId()));
    } catch (RuntimeException e) {
      coordinator.logUnexpected(name, e);
    }
  }

  // ---- permits -------------------------------------------------------------------------------

  void release(RedisPermit permit) {
    if (permit.leased()) {
      submitSoon(Op.of(Op.RELEASE, permit.id()));
    }
  }

  void giveBack(RedisPermit permit) {
    submit(Op.of(Op.CANCEL, permit.id()));
  }

  void reconcile(RedisPermit permit, long delta) {
    submitSoon(Op.of(Op.RECONCILE, permit.id(), delta, ""));
  }

  // ---- outages -------------------------------------------------------------------------------

  private void onFailure(List<Op> batch, Throwable failure) {
    if (!degraded.getAndSet(true)) {
      long every = coordinator.options().recoveryProbe().toNanos();
      synchronized (wakeLock) {
        if (probes == null && !coordinator.closed()) {
          probes = coordinator.timer().scheduleWithFixedDelay(this::probe, every, every, TimeUnit.NANOSECONDS);
        }
      }
    }
    if (outageLogged.compareAndSet(false, true)) {
      coordinator.lost(this, failure);
    }
    batch.stream().filter(Op::mustReach).forEach(this::retain);
    pending.stream().filter(Op::mustReach).forEach(this::retain);
    pending.clear();
    for (CompletableFuture<Object> answer : answers.values()) {
      answer.completeExceptionally(unavailable(failure));
    }
    for (RedisWaiter trial : tries.values()) {
      trial.future.completeExceptionally(unavailable(failure));
    }
    // Calls Redis may hold are cancelled there once it is back, and carried on here meanwhile, in
    // the order they were queued and within what is left of their max-wait.
    List<RedisWaiter> moving = new ArrayList<>(waiters.values());
    moving.sort(Comparator.comparingInt((RedisWaiter w) -> -w.priority).thenComparingLong(w -> w.enqueuedAtNanos));
    for (RedisWaiter waiter : moving) {
      if (waiters.remove(waiter.id) != null) {
        retain(Op.of(Op.CANCEL, waiter.id));
        if (waiter.deadline != null) {
          waiter.deadline.cancel(false);
        }
        applyFailurePolicy(waiter, failure);
      }
    }
  }

  private void retain(Op op) {
    if (retained.size() < MAX_RETAINED_OPS) {
      retained.add(op);
    }
  }

  private void applyFailurePolicy(RedisWaiter waiter, Throwable failure) {
    switch (limits.onCoordinatorFailure()) {
      case ALLOW:
        waiter.future.complete(new UnlimitedPermit(name, waiter.load));
        break;
      case FAIL:
        waiter.future.completeExceptionally(unavailable(failure));
        break;
      default:
        long left = waiter.deadlineNanos - System.nanoTime();
        if (left <= 0) {
          waiter.future.completeExceptionally(waitedTooLong());
          return;
        }
        CompletableFuture<Permit> local = fallback().acquireAsync(waiter.load, waiter.priority);
        ScheduledFuture<?> deadline = coordinator.timer().schedule(() -> {
          // The caller learns why first; cancelling the local call then only frees its place.
          waiter.future.completeExceptionally(waitedTooLong());
          local.cancel(false);
        }, left, TimeUnit.NANOSECONDS);
        waiter.future.whenComplete((p, f) -> {
          deadline.cancel(false);
          if (f instanceof CancellationException) {
            local.cancel(false);
          }
        });
        local.whenComplete((permit, f) -> {
          if (f != null) {
            waiter.future.completeExceptionally(f);
          } else if (!waiter.future.complete(permit)) {
            permit.close();
          }
        });
    }
  }

  private ResourceLimiter fallback() {
    ResourceLimiter f = fallback;
    if (f == null) {
      synchronized (this) {
        if (fallback == null) {
          fallback = coordinator.fallback().limiter(limits.share(liveClients));
        }
        f = fallback;
      }
    }
    return f;
  }

  private void updateFallbackShare() {
    ResourceLimiter f = fallback;
    if (f != null) {
      f.updateLimits(limits.share(liveClients));
    }
  }

  /** While degraded, the heartbeat tries Redis again with what must reach it. */
  private void probe() {
    if (!inFlight.compareAndSet(false, true)) {
      return;
    }
    List<Op> batch = new ArrayList<>();
    batch.add(Op.of(Op.HEARTBEAT, nextId()));
    batch.add(Op.of(Op.READ_LIMITS));
    for (Op op; batch.size() < MAX_OPS_PER_CALL && (op = retained.poll()) != null; ) {
      batch.add(op);
    }
    callThenSendMore(batch, (reply, failure) -> {
      if (failure != null) {
        batch.stream().filter(Op::mustReach).forEach(this::retain);
      } else {
        stopProbing();
        degraded.set(false);
        onReply(batch, reply, System.nanoTime());
      }
    });
  }

  boolean recoveredNow() {
    return outageLogged.compareAndSet(true, false);
  }

  private void stopProbing() {
    synchronized (wakeLock) {
      if (probes != null) {
        probes.cancel(false);
        probes = null;
      }
    }
  }

  int waiting() {
    return waiters.size();
  }

  @Override
  protected boolean coordinatorReachable() {
    return !degraded.get();
  }

  void close() {
    heartbeat.cancel(false);
    stopProbing();
    RateQueueException closed = new RateQueueException("coordinator is closed");
    Set<String> ids = waiters.keySet().stream().collect(Collectors.toSet());
    for (String id : ids) {
      RedisWaiter waiter = waiters.remove(id);
      if (waiter != null) {
        waiter.future.completeExceptionally(closed);
      }
    }
  }

  @Override
  public String toString() {
    return "redis " + limits + (degraded.get() ? " (coordinator unreachable, policy "
        + limits.onCoordinatorFailure() + ", max-wait " + Durations.format(limits.maxWait()) + ")" : "");
  }
}
