package dev.ratequeue.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Kills child processes and removes their directories when the JVM exits, so that a test which forgets to
 * close a fixture (or dies half way) never leaves a redis-server or worker JVM running on the machine.
 */
final class Reaper {

    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Reaper::reap, "ratequeue-testing-reaper"));
    }

    private Reaper() {
    }

    static void track(Process process) {
        PROCESSES.add(process);
    }

    static void untrack(Process process) {
        PROCESSES.remove(process);
    }

    static void trackDirectory(Path dir) {
        DIRECTORIES.add(dir);
    }

    static void untrackDirectory(Path dir) {
        DIRECTORIES.remove(dir);
    }

    private static void reap() {
        List<Process> processes = new ArrayList<>(PROCESSES);
        processes.forEach(Process::destroyForcibly);
        for (Process process : processes) {
            try {
                // A process must be gone before its working directory can be removed cleanly.
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        new ArrayList<>(DIRECTORIES).forEach(TempDirs::deleteQuietly);
    }
}
