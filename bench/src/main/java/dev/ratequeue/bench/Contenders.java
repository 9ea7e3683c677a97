package dev.ratequeue.bench;

import com.google.common.util.concurrent.RateLimiter;
import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.Rate;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.redisson.Redisson;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * RateQueue and the limiters its users would pick instead, each configured as its own documentation recommends,
 * all on the same Redis when they use one. The scenarios (latency, throughput, overload, priority) open them by name.
 *
 * <p>What "as recommended" means for each, and why:
 * <ul>
 *   <li><b>Bucket4j</b> ({@code bucket4j_jdk17-lettuce}): its reference's Lettuce setup, {@code
 *       Bucket4jLettuce.casBasedBuilder(connection)} on a {@code String, byte[]} connection with {@code
 *       expirationAfterWrite(basedOnTimeForRefillingBucketUpToMax(…))}, and one bandwidth {@code capacity(n)
 *       .refillGreedy(n, period)}. {@link #BUCKET4J_BATCHING} adds {@code Optimizations.batching()}, which the
 *       reference recommends when many threads of one JVM hit one key. Blocking uses {@code asBlocking()}.</li>
 *   <li><b>Redisson</b>: {@code RRateLimiter} with {@code trySetRate(RateType.OVERALL, n, period)} (one limit for
 *       every client), {@code acquire()} / {@code tryAcquire()}; {@code RPermitExpirableSemaphore} with {@code
 *       trySetPermits(n)} for concurrency, a permit released as soon as it is granted.</li>
 *   <li><b>Guava</b> {@code RateLimiter.create(perSecond)} and <b>Resilience4j</b> {@code RateLimiter} ({@code
 *       limitForPeriod(n).limitRefreshPeriod(period)}): in-JVM only, for the rows of the local coordinator.</li>
 * </ul>
 */
enum Contenders {

    RATEQUEUE_REDIS(true, true) {
        @Override
        Contender open(String redisUri, String key, LimitSpec limit) {
            return rateQueue(Coordinator.create(redisUri, CoordinatorOptions.defaults()), true, key, limit);
        }
    },

    RATEQUEUE_LOCAL(false, false) {
        @Override
        Contender open(String redisUri, String key, LimitSpec limit) {
            return rateQueue(Coordinator.local(), false, key, limit);
        }
    },

    BUCKET4J(true, true) {
        @Override
        Contender open(String redisUri, String key, LimitSpec limit) {
            return bucket4j(redisUri, key, limit, false);
        }
    },

    BUCKET4J_BATCHING(true, true) {
        @Override
        Contender open(String redisUri, String key, LimitSpec limit) {
            return bucket4j(redisUri, key, limit, true);
        }
    },

    REDISSON(true, true) {
        @Override
        Contender open(String redisUri, String key, LimitSpec limit) {
            RedissonClient redisson = redisson(redisUri);
            RRateLimiter limiter = redisson.getRateLimiter(key);
            limiter.trySetRate(RateType.OVERALL, limit.permits(), limit.period());
            return simple(limiter::acquire, limiter::tryAcquire, () -> shutdown(redisson));
        }
    },

    /** Concurrency only: the semaphore counterpart of {@code RATEQUEUE_REDIS} with a concurrency limit. */
    REDISSON_SEMAPHORE(true, false) {
        @Override
        Contender open(String redisUri, String key, LimitSpec limit) {
            if (limit.concurrency() <= 0) {
                throw new IllegalArgumentException(name() + " limits concurrency only: give the limit one");
            }
            RedissonClient redisson = redisson(redisUri);
            RPermitExpirableSemaphore semaphore = redisson.getPermitExpirableSemaphore(key);
            semaphore.trySetPermits(limit.concurrency());
            return simple(() -> semaphore.release(semaphore.acquire()), () -> {
                String id = semaphore.tryAcquire();
                if (id != null) {
                    semaphore.release(id);
                }
                return id != null;
            }, () -> shutdown(redisson));
        }
    },

    GUAVA(false, false) {
        @Override
        Contender open(String redisUri, String key, LimitSpec limit) {
            RateLimiter limiter = RateLimiter.create(limit.perSecond());
            return simple(limiter::acquire, limiter::tryAcquire, () -> { });
        }
    },

    RESILIENCE4J(false, false) {
        @Override
        Contender open(String redisUri, String key, LimitSpec limit) {
            io.github.resilience4j.ratelimiter.RateLimiter blocking = io.github.resilience4j.ratelimiter.RateLimiter.of(
                    key, config(limit, Duration.ofMinutes(2)));
            // Resilience4j's try is its acquire with a zero timeout; one limiter cannot have two timeouts, so the
            // try-only scenarios (overload) use a limiter configured that way instead of this one.
            io.github.resilience4j.ratelimiter.RateLimiter immediate = io.github.resilience4j.ratelimiter.RateLimiter.of(
                    key + "-try", config(limit, Duration.ZERO));
            return simple(() -> {
                if (!blocking.acquirePermission()) {
                    throw new IllegalStateException("Resilience4j refused a permit within its 2 min timeout");
                }
            }, immediate::acquirePermission, () -> { });
        }

        private RateLimiterConfig config(LimitSpec limit, Duration timeout) {
            return RateLimiterConfig.custom().limitForPeriod((int) Math.min(Integer.MAX_VALUE, limit.permits()))
                    .limitRefreshPeriod(limit.period()).timeoutDuration(timeout).build();
        }
    };

    private final boolean needsRedis;
    private final boolean rateLimits;

    Contenders(boolean needsRedis, boolean rateLimits) {
        this.needsRedis = needsRedis;
        this.rateLimits = rateLimits;
    }

    /** Connects and prepares on {@code key}; keys of contenders that share one Redis must differ. */
    abstract Contender open(String redisUri, String key, LimitSpec limit);

    boolean needsRedis() {
        return needsRedis;
    }

    /** Whether it limits a rate (and so belongs in the overload scenario); the semaphore limits concurrency. */
    boolean limitsRate() {
        return rateLimits;
    }

    /** The name used on command lines and in tables: {@code RateQueue_Redis}, {@code Bucket4j_Batching}, … */
    String label() {
        switch (this) {
            case RATEQUEUE_REDIS: return "RateQueue_Redis";
            case RATEQUEUE_LOCAL: return "RateQueue_Local";
            case BUCKET4J: return "Bucket4j";
            case BUCKET4J_BATCHING: return "Bucket4j_Batching";
            case REDISSON: return "Redisson";
            case REDISSON_SEMAPHORE: return "Redisson_Semaphore";
            case GUAVA: return "Guava";
            case RESILIENCE4J: return "Resilience4j";
            default: throw new AssertionError(this);
        }
    }

    static Contenders byLabel(String option, String label) {
        for (Contenders c : values()) {
            if (c.label().equalsIgnoreCase(label) || c.name().equalsIgnoreCase(label)) {
                return c;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Contenders c : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(c.label());
        }
        throw new IllegalArgumentException(option + " must name contenders among " + known + ", was '" + label + "'");
    }

    /** The key a contender uses for a scenario, distinct per contender: {@code bench-<scenario>-bucket4j}. */
    String key(String scenario) {
        return "bench-" + scenario + "-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Contender rateQueue(Coordinator coordinator, boolean viaRedis, String key, LimitSpec limit) {
        ResourceLimits.Builder limits = ResourceLimits.builder(key)
                .requests(Rate.of(limit.permits(), limit.period())).burst(limit.burst())
                .maxWait(Duration.ofMinutes(10));
        if (limit.concurrency() > 0) {
            limits.concurrency(limit.concurrency());
        }
        ResourceLimiter limiter = coordinator.limiter(limits.build());
        LongAdder fallback = new LongAdder();
        ThreadLocal<long[]> grantedAt = ThreadLocal.withInitial(() -> new long[] {-1});
        return new Contender() {
            @Override
            public void acquire() throws InterruptedException {
                end(limiter.acquire(1, 0));
            }

            @Override
            public void acquire(int priority) throws InterruptedException {
                end(limiter.acquire(1, priority));
            }

            @Override
            public boolean tryAcquire() {
                return limiter.tryAcquire(1, 0).map(p -> {
                    end(p);
                    return true;
                }).orElse(false);
            }

            private void end(Permit permit) {
                Instant at = permit.grantedAt();
                grantedAt.get()[0] = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
                permit.close();
                // A permit from the in-JVM fallback means Redis was not reached: such a run measures nothing.
                if (viaRedis && !permit.getClass().getSimpleName().equals("RedisPermit")) {
                    fallback.increment();
                }
            }

            @Override
            public long lastGrantedAtEpochMicros() {
                return grantedAt.get()[0];
            }

            @Override
            public boolean hasPriorities() {
                return true;
            }

            @Override
            public long fallbackGrants() {
                return fallback.sum();
            }

            @Override
            public void close() {
                coordinator.close();
            }
        };
    }

    private static Contender bucket4j(String redisUri, String key, LimitSpec limit, boolean batching) {
        RedisClient client = RedisClient.create(redisUri);
        StatefulRedisConnection<String, byte[]> connection =
                client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        long capacity = Math.max(limit.burst(), limit.permits());
        ProxyManager<String> proxies = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .build();
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(l -> l.capacity(capacity).refillGreedy(limit.permits(), limit.period())).build();
        RemoteBucketBuilder<String> builder = proxies.builder();
        if (batching) {
            builder = builder.withOptimization(Optimizations.batching());
        }
        Bucket bucket = builder.build(key, () -> configuration);
        return simple(() -> bucket.asBlocking().consume(1), () -> bucket.tryConsume(1), () -> {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        });
    }

    /** A wait for a permit, as each library spells it. */
    @FunctionalInterface
    interface Wait {
        void run() throws Exception;
    }

    /** A try for a permit: whether one was granted. */
    @FunctionalInterface
    interface Try {
        boolean run() throws Exception;
    }

    /** A contender without priorities or a clock of its own to report: the anchors. */
    private static Contender simple(Wait acquire, Try tryAcquire, Runnable close) {
        return new Contender() {
            @Override
            public void acquire() throws Exception {
                acquire.run();
            }

            @Override
            public boolean tryAcquire() throws Exception {
                return tryAcquire.run();
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }

    private static void shutdown(RedissonClient redisson) {
        redisson.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private static RedissonClient redisson(String redisUri) {
        Config config = new Config();
        config.useSingleServer().setAddress(redisUri);
        return Redisson.create(config);
    }
}
