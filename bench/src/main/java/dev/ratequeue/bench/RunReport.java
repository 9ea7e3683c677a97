package dev.ratequeue.bench;

import dev.ratequeue.testing.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a multi-process harness prints and keeps: a header naming the machine, the libraries, the Redis server and
 * the run's settings, then its tables; written to {@code --out} when given. {@link #finish} fails the run (exit 1)
 * when anything measured nothing or went wrong, so a smoke run in CI catches it.
 */
final class RunReport {

    private final StringBuilder text = new StringBuilder();

    private RunReport() {
    }

    /** Prints and keeps the header: {@code Machine: …}, {@code Redis: …}, {@code Run: <settings>}. */
    static RunReport start(RedisServer redis, String settings) {
        RunReport report = new RunReport();
        String header = "Machine: " + Machine.describe() + "\nRedis: redis-server " + redis.version() + " ("
                + RedisServer.locateBinary() + "), loopback\nRun: " + settings + "\n";
        System.out.println(header);
        report.text.append(header).append('\n');
        return report;
    }

    /** Prints and keeps the tables at the end of the run. */
    void tables(String tables) {
        text.append(tables);
        System.out.println();
        System.out.println(tables);
    }

    /** Writes the report to {@code out} (when not null), then exits 1 if there are {@code problems}. */
    void finish(Path out, List<String> problems) throws IOException {
        if (out != null) {
            Files.writeString(out, text);
            System.out.println("written to " + out.toAbsolutePath());
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("FAILED: " + p));
            System.exit(1);
        }
    }
}
