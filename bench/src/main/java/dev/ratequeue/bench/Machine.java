package dev.ratequeue.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * What the numbers were measured on, and how busy it was: the same machine is often shared with builds, and a
 * measurement taken while something else ran says so next to its numbers.
 */
final class Machine {

    private static final Path LOADAVG = Paths.get("/proc/loadavg");
    private static final Path STAT = Paths.get("/proc/stat");
    private static final Path CPUINFO = Paths.get("/proc/cpuinfo");

    private Machine() {
    }

    /**
     * {@code 2 cores (AMD EPYC ...), Linux 6.1 amd64, OpenJDK 64-Bit Server VM 17.0.15+6, 24.0 GiB RAM; libraries:
     * RateQueue 0.1.0-SNAPSHOT, Lettuce ..., Netty ...}: one line, the versions from {@link Versions}.
     */
    static String describe() {
        int cores = Runtime.getRuntime().availableProcessors();
        return cores + " cores (" + cpuModel() + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch") + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + ", "
                + memory() + "; libraries: " + Versions.describe();
    }

    /** The first three fields of {@code /proc/loadavg}: load averages over 1, 5 and 15 minutes. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(LOADAVG).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /**
     * Aggregate CPU ticks from {@code /proc/stat}: {busy, total, steal}, where busy counts everything but idle and
     * iowait (steal included: time a hypervisor gave to other guests of a shared host). {0, 0, 0} when unknown.
     */
    static long[] cpuTicks() {
        try {
            List<String> lines = Files.readAllLines(STAT);
            String[] f = lines.get(0).trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal; guest time is already inside user.
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new long[] {total - idle, total, steal};
        } catch (IOException | RuntimeException e) {
            return new long[3];
        }
    }

    /**
     * Waits up to {@code max} for the machine to be quiet: less than {@code maxBusyCores} cores busy over one second,
     * with nothing of ours running. Returns how that went, for the report.
     */
    static String awaitQuiet(java.time.Duration max, double maxBusyCores) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long waited = System.nanoTime();
        double busy;
        do {
            long[] before = cpuTicks();
            Thread.sleep(1000);
            long[] after = cpuTicks();
            busy = (after[0] - before[0]) / (double) TICKS_PER_SECOND;
            if (busy < maxBusyCores) {
                return String.format(Locale.ROOT, "quiet (%.2f cores busy) after %.0f s", busy,
                        (System.nanoTime() - waited) / 1e9);
            }
        } while (System.nanoTime() < deadline);
        return String.format(Locale.ROOT, "NOT quiet: %.2f cores busy after waiting %.0f s", busy,
                (System.nanoTime() - waited) / 1e9);
    }

    /** CPU time (user + system) of a process so far, in clock ticks, from {@code /proc/<pid>/stat}; -1 if unknown. */
    static long processTicks(long pid) {
        try {
            String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
            // The command name may contain spaces; fields are counted after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Clock ticks per second for {@link #processTicks} and {@link #cpuTicks}: USER_HZ, 100 on Linux. */
    static final int TICKS_PER_SECOND = 100;

    private static String cpuModel() {
        try {
            return Files.readAllLines(CPUINFO).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String memory() {
        try {
            return Files.readAllLines(Paths.get("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> String.format(Locale.ROOT, "%.1f GiB RAM",
                            Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("? RAM");
        } catch (IOException | RuntimeException e) {
            return "? RAM";
        }
    }
}
