package dev.ratequeue.bench;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of {@code INFO commandstats}: calls and server microseconds per command. Redis counts the commands a
 * Lua script runs ({@code redis.call}) under their own names as well as the {@code EVALSHA} that ran them, so the
 * difference of two snapshots is everything the server executed in between.
 */
final class CommandStats {

    /** Commands the measuring side sends itself; they are left out of every total. */
    private static final String OWN_COMMAND = "info";

    private final Map<String, long[]> byCommand;

    private CommandStats(Map<String, long[]> byCommand) {
        this.byCommand = byCommand;
    }

    static CommandStats read(RedisCommands<String, String> redis) {
        return parse(redis.info("commandstats"));
    }

    /** Parses lines such as {@code cmdstat_evalsha:calls=12,usec=340,usec_per_call=28.33,...}. */
    static CommandStats parse(String info) {
        Map<String, long[]> byCommand = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            int colon = line.indexOf(':');
            String command = line.substring("cmdstat_".length(), colon);
            long calls = 0;
            long usec = 0;
            for (String field : line.substring(colon + 1).split(",")) {
                int eq = field.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = field.substring(0, eq);
                if (key.equals("calls")) {
                    calls = Long.parseLong(field.substring(eq + 1));
                } else if (key.equals("usec")) {
                    usec = Long.parseLong(field.substring(eq + 1));
                }
            }
            byCommand.put(command, new long[] {calls, usec});
        }
        return new CommandStats(byCommand);
    }

    /** What ran between {@code before} and this snapshot. */
    CommandStats minus(CommandStats before) {
        Map<String, long[]> diff = new TreeMap<>();
        byCommand.forEach((command, now) -> {
            long[] then = before.byCommand.getOrDefault(command, new long[2]);
            long calls = now[0] - then[0];
            if (calls > 0 && !command.equals(OWN_COMMAND)) {
                diff.put(command, new long[] {calls, now[1] - then[1]});
            }
        });
        return new CommandStats(diff);
    }

    /** Two windows' differences together: several forks of one configuration. */
    CommandStats plus(CommandStats other) {
        Map<String, long[]> sum = new TreeMap<>();
        byCommand.forEach((command, v) -> sum.put(command, v.clone()));
        other.byCommand.forEach((command, v) -> sum.merge(command, v.clone(),
                (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]}));
        return new CommandStats(sum);
    }

    /**
     * This snapshot less {@code calls} of {@code command} that the measuring side sent itself (a reference probe's
     * {@code PING}s and {@code EVALSHA}s). Their server time cannot be told apart and stays in, so the time per call
     * of what is left is an upper bound (a {@code PING} or a {@code return 1} costs the server about a microsecond).
     */
    CommandStats without(String command, long calls) {
        Map<String, long[]> rest = new TreeMap<>(byCommand);
        long[] v = rest.get(command);
        if (v != null && calls > 0) {
            long left = Math.max(0, v[0] - calls);
            if (left == 0) {
                rest.remove(command);
            } else {
                rest.put(command, new long[] {left, v[1]});
            }
        }
        return new CommandStats(rest);
    }

    long calls(String command) {
        return byCommand.getOrDefault(command, new long[2])[0];
    }

    /** Every command, {@code INFO} excluded, scripted ones included. */
    long totalCalls() {
        return byCommand.entrySet().stream().filter(e -> !e.getKey().equals(OWN_COMMAND))
                .mapToLong(e -> e.getValue()[0]).sum();
    }

    /**
     * {@code evalsha 1.00 (21.3 µs), hmget 2.00 (0.9 µs), ...}: calls of each command per {@code units}, and in
     * parentheses the server's mean time per call (a script's time includes the commands it ran). Commands called
     * less than once per hundred units (connection set-up, heartbeats) are summed up as {@code other}.
     */
    String describePer(double units) {
        StringBuilder s = new StringBuilder();
        double other = 0;
        for (Map.Entry<String, long[]> e : byCommand.entrySet()) {
            long[] v = e.getValue();
            if (v[0] / units < 0.01) {
                other += v[0] / units;
                continue;
            }
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(String.format(Locale.ROOT, "%s %.2f (%.1f µs)", e.getKey(), v[0] / units, (double) v[1] / v[0]));
        }
        if (other > 0) {
            s.append(String.format(Locale.ROOT, "%sall others %.4f", s.length() > 0 ? ", " : "", other));
        }
        return s.length() == 0 ? "none" : s.toString();
    }
}
