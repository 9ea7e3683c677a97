package dev.ratequeue.coordination.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ratequeue.coordination.ConfigurationException;
import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.CoordinatorUnavailableException;
import dev.ratequeue.coordination.FailurePolicy;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.testing.RedisSentinel;
import dev.ratequeue.testing.RedisServer;
import dev.ratequeue.testing.RespConnection;
import dev.ratequeue.testing.RespError;
import dev.ratequeue.testing.WorkerJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every kind of coordinator URL reaches a real Redis, and credentials never show: {@code redis://} without and with
 * a password, an ACL user holding only what RateQueue needs, {@code rediss://} (TLS), {@code redis-sentinel://},
 * and a wrong password (served by the local fallback, logged once, masked everywhere).
 *
 * <p>A working case is only counted as working when Redis really coordinates: two coordinators (two Lettuce
 * clients) on the same URL see each other ({@code liveClients == 2}) and share one limit of 5 per second, so no
 * second (by Redis' clock, {@link Permit#grantedAt()}) holds more than 5 of their grants together. Those resources
 * fail rather than fall back, so a coordinator that is not really connected cannot pass by granting locally.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisConnectivityTest {

  /**
   * What RateQueue's own ACL user needs, and nothing more (goes in the README). The key and channel patterns are
   * the namespace ({@code ratequeue} by default) followed by ':'. {@code resetchannels} is needed on Redis 6.2,
   * whose users start with every channel; it is harmless on 7.x. Commands called from the script count: Redis
   * checks the ACL for each of them.
   */
  static final List<String> RATEQUEUE_ACL = List.of("resetchannels", "~ratequeue:*", "&ratequeue:*",
      // the connections: the script by digest (loaded once on NOSCRIPT), grants from other JVMs by pub/sub
      "+evalsha", "+script|load", "+subscribe",
      // each JVM's client record, for the fleet's list of clients (HSET is among the script's)
      "+pexpire", "+del",
      // what ratequeue.lua calls
      "+time", "+hget", "+hset", "+hdel", "+hmget", "+hgetall", "+hincrby", "+hexists",
      "+zadd", "+zrem", "+zcard", "+zcount", "+zrange", "+zrangebyscore", "+zremrangebyscore", "+zscore",
      "+publish");

  private static final int LIMIT = 5;
  private static final Duration PERIOD = Duration.ofSeconds(1);
  /** Redis' clock is read in microseconds and the script rounds: allow this much slack on a 1 s window. */
  private static final Duration CLOCK_SLACK = Duration.ofMillis(2);
  private static final Duration AWAIT = Duration.ofSeconds(20);
  /**
   * The first Lettuce connection of a JVM loads Netty, Reactor and (for rediss://) the TLS stack; on a loaded
   * two-core CI machine that took 2 to 5 s, past the 2 s default, which would fail the handshake and start the
   * coordinator in its failure policy. These tests are about reaching Redis, not about start-up speed.
   */
  private static final CoordinatorOptions OPTIONS = CoordinatorOptions.builder()
      .commandTimeout(Duration.ofSeconds(10)).build();

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private CapturedRecords log;

  @BeforeEach
  void captureLogs() {
    log = new CapturedRecords();
  }

  @AfterEach
  void closeEverything() throws Exception {
    Collections.reverse(toClose);
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
    log.close();
  }

  @Test
  void plainRedisUrl() throws Exception {
    RedisServer redis = track(RedisServer.start());

    provesOneSharedLimit(redis.uri(), "plain");

    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void passwordOnlyUrl() throws Exception {
    String password = "pw-only-Qx71 #&";
    RedisServer redis = track(RedisServer.builder().password(password).build());
    assertThat(redis.uri()).startsWith("redis://:pw-only-Qx71%20%23%26@");

    Coordinator[] both = provesOneSharedLimit(redis.uri(), "password");

    assertThat(both[0].describe()).isEqualTo("redis://:***@127.0.0.1:" + redis.port());
    assertThat(log.warnings()).isEmpty();
    log.assertNothingContains(password, "pw-only-Qx71");
  }

  @Test
  void aclUserWithOnlyWhatRateQueueNeeds() throws Exception {
    String password = "alice-Pw-58";
    RedisServer redis = track(RedisServer.builder()
        .aclUser("alice", password, RATEQUEUE_ACL.toArray(new String[0])).build());
    try (RespConnection alice = redis.openConnection(AWAIT)) {
      assertThat(alice.call("AUTH", "alice", password)).isEqualTo("OK");
      assertThat(alice.call("ACL", "WHOAMI")).as("ACL is not for alice").isInstanceOf(RespError.class);
      assertThat(alice.call("SET", "ratequeue:x", "1")).as("no SET").isInstanceOf(RespError.class);
      assertThat(alice.call("EVAL", "return 1", "0")).as("no EVAL").isInstanceOf(RespError.class);
      assertThat(alice.call("HGET", "other:x", "f")).as("only ratequeue:* keys").isInstanceOf(RespError.class);
    }
    try (RespConnection admin = redis.openConnection(AWAIT)) {
      assertThat(admin.call("ACL", "LOG", "RESET")).as("forget the refusals above").isEqualTo("OK");
    }

    Coordinator[] both = provesOneSharedLimit(redis.uri(), "acl");
    assertThat(both[0].describe()).isEqualTo("redis://alice:***@127.0.0.1:" + redis.port());

    // The rest of the API, across the two clients: a grant one JVM's call makes for the other's queued call is
    // published to it; pause, resume, new limits and snapshots all run in the script.
    ResourceLimits one = ResourceLimits.builder("acl-lease").requests(50, PERIOD).concurrency(1)
        .onCoordinatorFailure(FailurePolicy.FAIL).build();
    ResourceLimiter a = both[0].limiter(one);
    ResourceLimiter b = both[1].limiter(one);
    // (The queue is read from Redis itself: snapshot().queueDepth() miscounts cancelled calls on Redis 7.)
    RespConnection admin = track(redis.openConnection(AWAIT));
    Permit held = a.acquire();
    assertThat(b.tryAcquire(1, 0)).as("the only slot is taken").isEmpty();
    CompletableFuture<Permit> queued = b.acquireAsync(1, 0);
    CompletableFuture<Permit> givenUp = b.acquireAsync(1, 0);
    awaitTrue(() -> queueLength(admin, "acl-lease") == 2, "b's calls are queued in Redis");
    givenUp.cancel(true);
    awaitTrue(() -> queueLength(admin, "acl-lease") == 1, "the cancelled call left the queue");
    held.close();
    queued.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS).close();
    a.pause(Duration.ofSeconds(30));
    assertThat(b.snapshot().pausedFor()).isGreaterThan(Duration.ofSeconds(20));
    a.resume();
    b.updateLimits(ResourceLimits.builder("acl-lease").requests(60, PERIOD).concurrency(2)
        .onCoordinatorFailure(FailurePolicy.FAIL).build());
    b.acquire().close();

    assertThat(log.warnings()).isEmpty();
    log.assertNothingContains(password);
    // Lettuce's handshake also sends CLIENT SETINFO (and CLIENT MAINT_NOTIFICATIONS), which Redis 6.2 refuses
    // and logs; Lettuce ignores the refusal. Anything else refused would be something RateQueue needed.
    Object aclLog = admin.call("ACL", "LOG");
    assertThat(aclLog).isInstanceOf(List.class);
    for (Object entry : (List<?>) aclLog) {
      Map<String, Object> fields = pairs((List<?>) entry);
      assertThat(fields).as("ACL LOG entry %s", fields)
          .containsEntry("reason", "command").containsEntry("context", "toplevel").containsEntry("object", "client");
    }
  }

  /** How many calls wait in a resource's queue, as Redis holds it. */
  private static long queueLength(RespConnection admin, String resource) {
    try {
      return (Long) admin.call("ZCARD", "ratequeue:{" + resource + "}:q");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The ACL above must follow the script: a command added to ratequeue.lua must be added there (and to the README). */
  @Test
  void aclCoversEveryCommandTheScriptCalls() throws IOException {
    String script;
    try (InputStream in = GrantScript.class.getResourceAsStream("ratequeue.lua")) {
      assertThat(in).as("ratequeue.lua on the classpath").isNotNull();
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(Pattern.compile("redis\\.p?call\\(\\s*[^'\\s]").matcher(script).find())
        .as("every redis.call names its command as a literal, so the ACL can be checked").isFalse();
    Set<String> called = new TreeSet<>();
    Matcher call = Pattern.compile("redis\\.p?call\\(\\s*'([A-Za-z]+)'").matcher(script);
    while (call.find()) {
      called.add("+" + call.group(1).toLowerCase());
    }
    Set<String> granted = new TreeSet<>(RATEQUEUE_ACL);
    granted.removeAll(List.of("resetchannels", "~ratequeue:*", "&ratequeue:*", "+evalsha", "+script|load",
        "+subscribe", "+pexpire", "+del"));
    assertThat(granted).isEqualTo(called);
  }

  @Test
  void wrongPasswordFallsBackToTheLocalShareLogsOnceAndNeverShowsThePassword() throws Exception {
    String right = "right-Pa55-Kp3";
    String wrong = "Wr0ng-Pa55-Zt9";
    RedisServer redis = track(RedisServer.builder().password(right).build());
    String url = "redis://:" + wrong + "@127.0.0.1:" + redis.port();
    Coordinator coordinator = track(Coordinator.create(url, CoordinatorOptions.builder()
        .recoveryProbe(Duration.ofMillis(200)).build()));
    assertThat(coordinator.describe()).isEqualTo("redis://:***@127.0.0.1:" + redis.port());
    ResourceLimiter limiter = coordinator.limiter(ResourceLimits.builder("wrong-password")
        .requests(LIMIT, PERIOD).build());

    List<Instant> grants = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      try (Permit permit = limiter.acquire()) {
        grants.add(permit.grantedAt());
      }
    }
    assertThat(limiter.tryAcquire(1, 0)).isNotNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("served at once by the fallback")
        .isLessThan(Duration.ofSeconds(5));
    // The local share of 5/s (one live client: all of it), not "allow": the calls were spaced.
    assertThat(Duration.between(grants.get(0), grants.get(2)))
        .isGreaterThanOrEqualTo(PERIOD.dividedBy(LIMIT).multipliedBy(2).minus(Duration.ofMillis(50)));
    assertThatThrownBy(limiter::snapshot).isInstanceOf(CoordinatorUnavailableException.class)
        .satisfies(e -> assertThat(throwableText(e)).doesNotContain(wrong).doesNotContain(right));

    // Redis really refused the credentials (not a timeout or a refused connection).
    try (RespConnection admin = redis.openConnection(AWAIT)) {
      assertThat(admin.call("AUTH", right)).isEqualTo("OK");
      assertThat(String.valueOf(admin.call("ACL", "LOG"))).contains("auth");
    }
    // Several recovery probes fail meanwhile; the outage is still logged once.
    Thread.sleep(1_200);
    List<String> warnings = log.warnings();
    assertThat(warnings).filteredOn(w -> w.contains("unreachable")).hasSize(1);
    assertThat(warnings).hasSizeBetween(1, 2).doesNotHaveDuplicates()
        .allSatisfy(w -> assertThat(w).contains("redis://:***@127.0.0.1:" + redis.port()));
    log.assertNothingContains(wrong, right);
  }

  @Test
  void malformedUrlNamesTheSettingAndHidesThePassword() {
    assertThatThrownBy(() -> Coordinator.create("redis://:Sekr1t-Malformed@127.0.0.1:notaport", OPTIONS))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ratequeue.coordinator")
        .satisfies(e -> assertThat(throwableText(e)).doesNotContain("Sekr1t-Malformed"));
  }

  @Test
  void mistypedSchemeStillHidesThePassword() {
    for (String url : List.of("redis:/alice:Sekr1t-Typo@127.0.0.1:6379", "redis//alice:Sekr1t-Typo@127.0.0.1:6379",
        "alice:Sekr1t-Typo@127.0.0.1:6379")) {
      assertThatThrownBy(() -> Coordinator.create(url, OPTIONS)).isInstanceOf(ConfigurationException.class)
          .satisfies(e -> assertThat(throwableText(e)).doesNotContain("Sekr1t-Typo"));
    }
  }

  /**
   * {@code rediss://} with a certificate from a private CA. Lettuce's default SSL options use the JDK's default
   * trust managers, which read {@code javax.net.ssl.trustStore}/{@code trustStorePassword}/{@code trustStoreType}
   * each time a connection's SSL context is made; so the standard JVM flags are all a user needs. Shown here both
   * ways: in a child JVM started with the {@code -D} flags (what a user does), and in this JVM by setting the
   * properties before connecting.
   */
  @Test
  void tlsUrlTrustingAPrivateCaThroughTheJvmTrustStoreProperties() throws Exception {
    Optional<String> unavailable = RedisServer.tlsUnavailableReason();
    assumeTrue(unavailable.isEmpty(), () -> "rediss:// not tested: " + unavailable.get());
    String password = "tls-Pw-204";
    RedisServer redis = track(RedisServer.builder().tls().password(password).build());
    String url = redis.uri();
    assertThat(url).startsWith("rediss://");
    Map<String, String> trust = redis.tlsTrustStoreSystemProperties();
    // The child JVM is configured the way a user would: -D flags only. It starts first, as it is the slow part.
    Path go = Files.createTempFile("ratequeue-tls-go-", "");
    Files.delete(go);
    toClose.add(() -> Files.deleteIfExists(go));
    WorkerJvm.Builder worker = WorkerJvm.builder().name("tls-worker").mainClass(TlsWorker.class)
        .jvmArg("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC").arg(url, "tls", go.toString());
    trust.forEach(worker::systemProperty);
    WorkerJvm child = track(worker.start());

    if (trust.keySet().stream().allMatch(key -> System.getProperty(key) == null)) {
      // Without them the JDK's own CA list applies, which does not know the private CA: no connection.
      Coordinator untrusting = track(Coordinator.create(url, OPTIONS));
      ResourceLimiter refused = untrusting.limiter(ResourceLimits.builder("tls-untrusted").requests(LIMIT, PERIOD)
          .onCoordinatorFailure(FailurePolicy.FAIL).build());
      assertThatThrownBy(refused::acquire).isInstanceOf(CoordinatorUnavailableException.class);
      assertThat(log.warnings()).isNotEmpty();
      untrusting.close();
      log.clear();
    }

    Map<String, String> previous = new HashMap<>();
    trust.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
    reloadDefaultTrustStore();
    try {
      Coordinator[] both = provesOneSharedLimit(url, "tls");
      assertThat(both[0].describe()).isEqualTo("rediss://:***@127.0.0.1:" + redis.port());

      child.awaitLine("READY"::equals, AWAIT);
      ResourceLimiter limiter = both[0].limiter(limits("tls"));
      awaitTrue(() -> limiter.snapshot().liveClients() == 3, "the child JVM joined over TLS");
      Files.createFile(go);
      List<Instant> grants = acquireConcurrently(List.of(limiter, both[1].limiter(limits("tls"))), 3);
      child.awaitLine("DONE"::equals, AWAIT);
      for (String line : child.outputLines()) {
        if (line.startsWith("GRANTED ")) {
          grants.add(Instant.parse(line.substring("GRANTED ".length())));
        }
      }
      assertThat(grants).hasSize(9);
      assertAtMostLimitPerPeriod(grants);
      assertThat(child.errorLines()).noneMatch(line -> line.contains(password));
    } finally {
      previous.forEach((key, value) -> {
        if (value == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, value);
        }
      });
      reloadDefaultTrustStore();
    }
    assertThat(log.warnings()).isEmpty();
    log.assertNothingContains(password);
  }

  @Test
  void sentinelUrl() throws Exception {
    String password = "sentinel-master-Pw-7";
    RedisServer master = track(RedisServer.builder().password(password).build());
    RedisSentinel sentinel = track(RedisSentinel.start(master, "rq-master"));
    String url = sentinel.uri();
    assertThat(url).isEqualTo("redis-sentinel://:sentinel-master-Pw-7@127.0.0.1:" + sentinel.port() + "#rq-master");

    Coordinator[] both = provesOneSharedLimit(url, "sentinel");

    assertThat(both[0].describe()).isEqualTo("redis-sentinel://:***@127.0.0.1:" + sentinel.port() + "#rq-master");
    // The state is on the master the Sentinel named.
    try (RespConnection direct = master.openConnection(AWAIT)) {
      assertThat(direct.call("AUTH", password)).isEqualTo("OK");
      assertThat(direct.call("EXISTS", "ratequeue:{sentinel}:res")).isEqualTo(1L);
    }
    assertThat(log.warnings()).isEmpty();
    log.assertNothingContains(password);
  }

  /**
   * Makes the JDK load the default trust store named by the javax.net.ssl properties now, on one thread. The JDK
   * (17.0.15 here) re-reads those properties whenever default trust managers are made, but once it has loaded one
   * trust store, several connections made at the same moment after the properties change do not all see the new
   * one: of N concurrent first handshakes, one used the new store and N-1 still the old (the untrusted check
   * above had loaded the JDK's CA list). One load on one thread first avoids it; a user avoids it by passing the
   * properties as -D flags, before any TLS happens.
   */
  private static void reloadDefaultTrustStore() throws GeneralSecurityException {
    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).init((KeyStore) null);
  }

  /**
   * Two coordinators on {@code url}, one resource limited to 5/s that fails rather than falls back: both are
   * seen live in Redis, and eight concurrent calls, four through each, are spaced by the one shared limit.
   */
  private Coordinator[] provesOneSharedLimit(String url, String resource) throws Exception {
    Coordinator a = track(Coordinator.create(url, OPTIONS));
    Coordinator b = track(Coordinator.create(url, OPTIONS));
    ResourceLimiter la = a.limiter(limits(resource));
    ResourceLimiter lb = b.limiter(limits(resource));
    awaitTrue(() -> la.snapshot().liveClients() == 2 && lb.snapshot().liveClients() == 2,
        "both coordinators are live clients of one Redis");

    List<Instant> grants = acquireConcurrently(List.of(la, lb), 4);

    assertAtMostLimitPerPeriod(grants);
    // With separate limits the two halves would overlap: 8 smooth grants at 5/s take at least 7 turns.
    assertThat(Duration.between(grants.get(0), grants.get(grants.size() - 1)))
        .isGreaterThanOrEqualTo(PERIOD.dividedBy(LIMIT).multipliedBy(grants.size() - 1).minus(CLOCK_SLACK));
    return new Coordinator[] {a, b};
  }

  private static ResourceLimits limits(String resource) {
    return ResourceLimits.builder(resource).requests(LIMIT, PERIOD).onCoordinatorFailure(FailurePolicy.FAIL).build();
  }

  /** {@code perLimiter} calls through each limiter at once; their grant times by Redis' clock, sorted. */
  private static List<Instant> acquireConcurrently(List<ResourceLimiter> limiters, int perLimiter)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(limiters.size() * perLimiter);
    try {
      List<Future<Instant>> calls = new ArrayList<>();
      for (ResourceLimiter limiter : limiters) {
        for (int i = 0; i < perLimiter; i++) {
          calls.add(pool.submit(() -> {
            try (Permit permit = limiter.acquire()) {
              return permit.grantedAt();
            }
          }));
        }
      }
      List<Instant> grants = new ArrayList<>();
      for (Future<Instant> call : calls) {
        grants.add(call.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS));
      }
      Collections.sort(grants);
      return grants;
    } finally {
      pool.shutdownNow();
    }
  }

  /** No window of one period holds more than LIMIT grants: grant i and grant i + LIMIT are a period apart. */
  private static void assertAtMostLimitPerPeriod(List<Instant> grants) {
    List<Instant> sorted = new ArrayList<>(grants);
    Collections.sort(sorted);
    for (int i = 0; i + LIMIT < sorted.size(); i++) {
      assertThat(Duration.between(sorted.get(i), sorted.get(i + LIMIT)))
          .as("grants %d and %d of %s", i, i + LIMIT, sorted)
          .isGreaterThanOrEqualTo(PERIOD.minus(CLOCK_SLACK));
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Timed out after " + AWAIT.toSeconds() + " s waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  private <T extends AutoCloseable> T track(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private static Map<String, Object> pairs(List<?> flat) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      map.put(String.valueOf(flat.get(i)), flat.get(i + 1));
    }
    return map;
  }

  /** Everything a person could be shown of a throwable: every message and toString down its causes. */
  static String throwableText(Throwable thrown) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      text.append(t).append('\n');
      for (Throwable suppressed : t.getSuppressed()) {
        text.append(throwableText(suppressed));
      }
    }
    return text.toString();
  }

  /**
   * Every record logged through java.util.logging while a test runs, at the levels loggers let through: those of
   * the coordinator ({@code dev.ratequeue.coordination}, held here so its handler stays) and anyone else's
   * (Lettuce and Netty log through java.util.logging too when no SLF4J binding is present).
   */
  static final class CapturedRecords extends Handler implements AutoCloseable {
    private final Logger coordination = Logger.getLogger("dev.ratequeue.coordination");
    private final Logger root = Logger.getLogger("");
    private final List<LogRecord> engine = new CopyOnWriteArrayList<>();
    private final List<LogRecord> everything = new CopyOnWriteArrayList<>();
    private final Handler engineHandler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        engine.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };

    CapturedRecords() {
      setLevel(Level.ALL);
      engineHandler.setLevel(Level.ALL);
      coordination.addHandler(engineHandler);
      root.addHandler(this);
    }

    List<String> warnings() {
      return engine.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
          .map(r -> new SimpleFormatter().formatMessage(r)).collect(Collectors.toList());
    }

    void clear() {
      engine.clear();
      everything.clear();
    }

    void assertNothingContains(String... secrets) {
      List<LogRecord> all = new ArrayList<>(engine);
      all.addAll(everything);
      for (LogRecord record : all) {
        String text = render(record);
        for (String secret : secrets) {
          assertThat(text).as("a log record of %s", record.getLoggerName()).doesNotContain(secret);
        }
      }
    }

    private static String render(LogRecord record) {
      StringBuilder text = new StringBuilder(String.valueOf(record.getMessage())).append('\n')
          .append(new SimpleFormatter().formatMessage(record)).append('\n');
      if (record.getParameters() != null) {
        text.append(Arrays.toString(record.getParameters())).append('\n');
      }
      if (record.getThrown() != null) {
        text.append(throwableText(record.getThrown()));
      }
      return text.toString();
    }

    @Override
    public void publish(LogRecord record) {
      everything.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      coordination.removeHandler(engineHandler);
      root.removeHandler(this);
    }
  }

  /**
   * A second JVM on a {@code rediss://} URL, configured only by {@code -Djavax.net.ssl.trustStore...} flags.
   * Arguments: URL, resource, a file to wait for. Prints READY once connected, then, once the file exists, a
   * GRANTED line per permit and DONE, and stays connected until killed.
   */
  public static final class TlsWorker {
    public static void main(String[] args) throws Exception {
      Coordinator coordinator = Coordinator.create(args[0], OPTIONS);
      ResourceLimiter limiter = coordinator.limiter(limits(args[1]));
      limiter.snapshot();
      System.out.println("READY");
      Path go = Paths.get(args[2]);
      while (!Files.exists(go)) {
        Thread.sleep(5);
      }
      for (int i = 0; i < 3; i++) {
        try (Permit permit = limiter.acquire()) {
          System.out.println("GRANTED " + permit.grantedAt());
        }
      }
      System.out.println("DONE");
      Thread.sleep(TimeUnit.MINUTES.toMillis(2));
      coordinator.close();
    }
  }
}
