package dev.ratequeue.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds a runnable {@code redis-server} and tells its version. */
final class RedisBinary {

    static final String BUNDLED_RESOURCE = "/redis-server-6.2.6-v5-linux-amd64";
    private static final String BUNDLED_ARTIFACT = "com.github.codemonstur:embedded-redis:1.4.3";
    private static final Pattern VERSION = Pattern.compile("v=(\\d+(?:\\.\\d+)+)");
    private static final Map<Path, String> VERSIONS = new ConcurrentHashMap<>();

    private static Path extracted;

    private RedisBinary() {
    }

    /** Names the binary to test against: {@code bundled}, or a path; unset means PATH first, then bundled. */
    static final String CHOICE_VARIABLE = "RATEQUEUE_TEST_REDIS_SERVER";

    /**
     * A {@code redis-server} on PATH wins, so a developer or CI can pick the Redis version under test simply by
     * installing one; the bundled binary only makes the tests runnable on a bare machine. CI runs the tests
     * against both by setting {@value #CHOICE_VARIABLE}.
     */
    static Path locate() {
        String choice = System.getenv(CHOICE_VARIABLE);
        if ("bundled".equals(choice)) {
            return extractBundled();
        }
        if (choice != null && !choice.isEmpty()) {
            Path chosen = Path.of(choice);
            if (!java.nio.file.Files.isExecutable(chosen)) {
                throw new IllegalStateException(CHOICE_VARIABLE + "=" + choice + " is not an executable redis-server; "
                        + "expected 'bundled' or the path of a redis-server binary");
            }
            return chosen;
        }
        Optional<Path> onPath = findOnPath("redis-server");
        if (onPath.isPresent()) {
            return onPath.get();
        }
        return extractBundled();
    }

    static String version(Path binary) {
        return VERSIONS.computeIfAbsent(binary, RedisBinary::askVersion);
    }

    static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Paths.get(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException ignored) {
                // A malformed PATH entry cannot hold the binary; look at the next one.
            }
        }
        return Optional.empty();
    }

    /** Extracted once per JVM: the binary is ~10 MB and every test class starts servers. */
    private static synchronized Path extractBundled() {
        if (extracted != null && Files.isExecutable(extracted)) {
            return extracted;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw notFound("the bundled binary only runs on Linux amd64, this is " + os + "/" + arch);
        }
        try (InputStream in = RedisBinary.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw notFound("that resource is not on the classpath");
            }
            Path target = Files.createTempFile("ratequeue-redis-server-", "");
            target.toFile().deleteOnExit();
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            if (!target.toFile().setExecutable(true, true)) {
                throw new IllegalStateException("Could not mark " + target + " executable");
            }
            extracted = target;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not extract " + BUNDLED_RESOURCE + " from " + BUNDLED_ARTIFACT, e);
        }
    }

    private static IllegalStateException notFound(String bundledProblem) {
        return new IllegalStateException("No redis-server available. Looked for an executable 'redis-server' in the "
                + "PATH directories (" + System.getenv("PATH") + ") and for the classpath resource "
                + BUNDLED_RESOURCE + " from " + BUNDLED_ARTIFACT + ", but " + bundledProblem
                + ". Install redis-server or put that artifact on the classpath.");
    }

    private static String askVersion(Path binary) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--version"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(binary + " --version did not finish within 10 s");
            }
            Matcher matcher = VERSION.matcher(output);
            if (!matcher.find()) {
                throw new IllegalStateException("No version in the output of " + binary + " --version: " + output);
            }
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + binary + " --version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking " + binary + " for its version", e);
        }
    }
}
