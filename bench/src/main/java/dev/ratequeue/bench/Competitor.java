package dev.ratequeue.bench;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.Rate;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Locale;

/**
 * What one operation of {@link AcquireLatencyBenchmark} does, per competitor: the two anchors (one Redis round trip
 * as Lettuce makes it) and RateQueue's coordinators. Each is built against a Redis URI (ignored by the local one)
 * and a non-binding limit, does one operation per {@link Op#run()}, and is closed at the end of the trial.
 *
 * <p>The anchors use Lettuce as an application would: {@code RedisClient.create(uri)} with default options, one
 * connection, its synchronous API.
 */
public enum Competitor {

    /** Lettuce sync {@code PING}: the smallest Redis round trip. */
    Lettuce_Ping(true) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            Lettuce lettuce = new Lettuce(redisUri);
            RedisCommands<String, String> redis = lettuce.sync;
            return new Op(lettuce::close) {
                @Override
                Object run() {
                    return redis.ping();
                }
            };
        }
    },

    /** Lettuce sync {@code EVALSHA} of {@code return 1}: a round trip plus the cost of entering a Lua script. */
    Lettuce_EvalSha(true) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            Lettuce lettuce = new Lettuce(redisUri);
            RedisCommands<String, String> redis = lettuce.sync;
            String sha = redis.scriptLoad("return 1");
            String[] noKeys = new String[0];
            return new Op(lettuce::close) {
                @Override
                Object run() {
                    return redis.<Long>evalsha(sha, ScriptOutputType.INTEGER, noKeys);
                }
            };
        }
    },

    /**
     * Diagnostic anchor: Lettuce sync {@code EVALSHA} of RateQueue's own grant script ({@code ratequeue.lua}) with
     * the keys and the one enqueue op an uncontended acquire sends. Splits an acquire into what the script costs
     * Redis (this minus {@link #Lettuce_EvalSha}) and what the Java side of the engine adds ({@link #RateQueue_Redis}
     * minus this). It mirrors the script's calling convention (the header of {@code ratequeue.lua}), so it must
     * follow changes there.
     */
    Lettuce_GrantScript(true) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            Lettuce lettuce = new Lettuce(redisUri);
            RedisCommands<String, String> redis = lettuce.sync;
            String sha = redis.scriptLoad(GrantScriptCall.text());
            GrantScriptCall call = new GrantScriptCall(CoordinatorOptions.defaults(), limits);
            redis.evalsha(sha, ScriptOutputType.MULTI, call.keys(), call.seed());
            return new Op(lettuce::close) {
                @Override
                Object run() {
                    return redis.evalsha(sha, ScriptOutputType.MULTI, call.keys(), call.enqueue());
                }
            };
        }
    },

    /**
     * RateQueue through Redis: {@code acquire(1, 0)} then {@code close()} on a resource with only a requests limit,
     * far above what one thread can ask for. Designed to cost one EVALSHA of {@code ratequeue.lua} per acquire;
     * close has no lease to end, so it sends nothing.
     */
    RateQueue_Redis(true) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            return acquireAndClose(Coordinator.create(redisUri, CoordinatorOptions.defaults()), limits);
        }
    },

    /**
     * The same with a (non-binding) concurrency limit as well: every permit now holds a lease, so close sends a
     * release to Redis. Shows what a lease costs an uncontended caller.
     */
    RateQueue_Redis_Concurrency(true) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            return acquireAndClose(Coordinator.create(redisUri, CoordinatorOptions.defaults()),
                    limits.toBuilder().concurrency(1_000_000).build());
        }
    },

    /** RateQueue's in-JVM coordinator, same limits: the engine's cost without the network. */
    RateQueue_Local(false) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            return acquireAndClose(Coordinator.local(), limits);
        }
    },

    /** Bucket4j's Lettuce proxy manager as its reference sets it up: one compare-and-swap per consume. */
    Bucket4j(true) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            return contender(Contenders.BUCKET4J, redisUri, limits);
        }
    },

    /** The same with {@code Optimizations.batching()}: waiting threads of one JVM share a request. */
    Bucket4j_Batching(true) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            return contender(Contenders.BUCKET4J_BATCHING, redisUri, limits);
        }
    },

    /** Redisson {@code RRateLimiter}, {@code RateType.OVERALL}, {@code acquire()}. */
    Redisson(true) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            return contender(Contenders.REDISSON, redisUri, limits);
        }
    },

    /**
     * Redisson {@code RPermitExpirableSemaphore}, acquire then release: the counterpart of {@link
     * #RateQueue_Redis_Concurrency}, a permit held in Redis and given back.
     */
    Redisson_Semaphore(true) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            return contender(Contenders.REDISSON_SEMAPHORE, redisUri, limits);
        }
    },

    /** Guava {@code RateLimiter}: in one JVM only, next to {@link #RateQueue_Local}. */
    Guava(false) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            return contender(Contenders.GUAVA, redisUri, limits);
        }
    },

    /** Resilience4j {@code RateLimiter}: in one JVM only, next to {@link #RateQueue_Local}. */
    Resilience4j(false) {
        @Override
        Op open(String redisUri, ResourceLimits limits) {
            return contender(Contenders.RESILIENCE4J, redisUri, limits);
        }
    };

    private final boolean needsRedis;

    Competitor(boolean needsRedis) {
        this.needsRedis = needsRedis;
    }

    boolean needsRedis() {
        return needsRedis;
    }

    /**
     * Connects and prepares; the first {@link Op#run()} may still do one-time work (script load, seeding).
     * {@code limits} names this competitor's own resource ({@link #resource()}): competitors that share one Redis
     * must not share a resource, or the first one's limits would win for all.
     */
    abstract Op open(String redisUri, ResourceLimits limits);

    /**
     * The RateQueue competitor this one is compared with: the local coordinator for the in-JVM limiters, the one with
     * a concurrency limit for the semaphore, the Redis coordinator for everything else.
     */
    Competitor rateQueueCounterpart() {
        switch (this) {
            case Guava:
            case Resilience4j:
            case RateQueue_Local:
                return RateQueue_Local;
            case Redisson_Semaphore:
            case RateQueue_Redis_Concurrency:
                return RateQueue_Redis_Concurrency;
            default:
                return RateQueue_Redis;
        }
    }

    /** The resource this competitor acquires from, e.g. {@code bench-ratequeue_redis}. */
    String resource() {
        return "bench-" + name().toLowerCase(Locale.ROOT);
    }

    /** {@code requests = rate}, nothing else, on {@link #resource()}: the limit of every RateQueue competitor. */
    ResourceLimits nonBindingLimits(String rate) {
        return nonBindingLimits(resource(), rate);
    }

    static ResourceLimits nonBindingLimits(String resource, String rate) {
        return ResourceLimits.builder(resource).requests(Rate.parse("limit", rate)).build();
    }

    private static Op acquireAndClose(Coordinator coordinator, ResourceLimits limits) {
        ResourceLimiter limiter = coordinator.limiter(limits);
        return new Op(coordinator::close) {
            @Override
            Object run() throws InterruptedException {
                Permit permit = limiter.acquire(1, 0);
                permit.close();
                return permit;
            }
        };
    }

    /** An anchor given the same requests limit (and, for the semaphore, a concurrency as non-binding). */
    private static Op contender(Contenders kind, String redisUri, ResourceLimits limits) {
        Rate rate = limits.requests().orElseThrow();
        LimitSpec spec = new LimitSpec(rate.count(), rate.period(), 0,
                kind == Contenders.REDISSON_SEMAPHORE ? 1_000_000 : 0);
        Contender contender = kind.open(redisUri, limits.name(), spec);
        return new Op(contender::close) {
            @Override
            Object run() throws Exception {
                contender.acquire();
                return contender;
            }
        };
    }

    /** One operation, repeated; {@link #close()} releases what {@link #open} made. */
    abstract static class Op implements AutoCloseable {
        private final Runnable closer;

        Op(Runnable closer) {
            this.closer = closer;
        }

        abstract Object run() throws Exception;

        @Override
        public void close() {
            closer.run();
        }
    }

    /** A Lettuce client as an application makes one: defaults, one connection. */
    static final class Lettuce implements AutoCloseable {
        final RedisClient client;
        final StatefulRedisConnection<String, String> connection;
        final RedisCommands<String, String> sync;

        Lettuce(String redisUri) {
            client = RedisClient.create(redisUri);
            connection = client.connect();
            sync = connection.sync();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
