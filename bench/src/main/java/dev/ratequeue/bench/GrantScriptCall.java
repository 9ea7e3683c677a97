package dev.ratequeue.bench;

import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.ResourceLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The arguments the Redis coordinator passes to {@code ratequeue.lua} for one uncontended acquire, built by hand
 * from the calling convention in the script's header comment: keys {@code <ns>:{<resource>}:res|q|w|l|j|qs}, then
 * client id, lease TTL µs, lookahead µs, channel prefix, resource, and ops of four fields. Only for
 * {@link Competitor#Lettuce_GrantScript}, which times the script without the engine's Java side.
 */
final class GrantScriptCall {

    private static final String SCRIPT = "/dev/ratequeue/coordination/redis/ratequeue.lua";
    private static final String CLIENT = "bench-grant-script";

    private final String[] keys;
    private final String[] head;
    private final ResourceLimits limits;
    private long ids;

    GrantScriptCall(CoordinatorOptions options, ResourceLimits limits) {
        this.limits = limits;
        String prefix = options.namespace() + ":{" + limits.name() + "}:";
        keys = new String[] {prefix + "res", prefix + "q", prefix + "w", prefix + "l", prefix + "j", prefix + "qs"};
        head = new String[] {CLIENT, Long.toString(micros(options.leaseTtl().toNanos())),
            Long.toString(micros(options.lookahead().toNanos())), options.namespace() + ":client:",
            limits.name()};
    }

    static String text() {
        try (InputStream in = GrantScriptCall.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String[] keys() {
        return keys;
    }

    /** Seeds the limits ({@code S}) as a coordinator's first call does: {@code rn=…;rp=…;rb=0;mw=…;…}. */
    String[] seed() {
        long period = micros(limits.requests().orElseThrow().period().toNanos());
        String encoded = "rn=" + limits.requests().get().count() + ";rp=" + period + ";rb=" + limits.burst()
                + ";mw=" + micros(limits.maxWait().toNanos()) + ";mh=" + micros(limits.maxHold().toNanos())
                + ";pr=" + limits.priority() + ";fp=" + limits.onCoordinatorFailure();
        return args("S", "", encoded, "");
    }

    /** One enqueue ({@code E id load=1 priority=0}) with a fresh waiter id. */
    String[] enqueue() {
        return args("E", CLIENT + "." + Long.toString(++ids, 36), "1", "0");
    }

    private String[] args(String code, String id, String a, String b) {
        String[] args = new String[head.length + 4];
        System.arraycopy(head, 0, args, 0, head.length);
        args[head.length] = code;
        args[head.length + 1] = id;
        args[head.length + 2] = a;
        args[head.length + 3] = b;
        return args;
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }
}
