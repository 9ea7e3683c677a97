package dev.ratequeue.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The versions of RateQueue and of every contender and measuring library, as found on the class path this JVM runs
 * on: a number is only comparable to one measured against the same versions.
 *
 * <p>Each comes from the artifact's {@code META-INF/maven/<group>/<artifact>/pom.properties}, which the shaded jar
 * keeps, else from its package's {@code Implementation-Version} (a plain class path, {@code exec:java}), else from
 * {@code bench-versions.properties}, written by the bench build for the artifacts built without Maven (their only
 * version is in a manifest, which shading drops); those are marked "as built".
 */
final class Versions {

    /** {label, group, artifact, a class of it}. Netty's first artifact stands for the rest, checked below. */
    private static final String[][] LIBRARIES = {
        {"RateQueue", "dev.ratequeue", "ratequeue-coordination", "dev.ratequeue.coordination.Coordinator"},
        {"Lettuce", "io.lettuce", "lettuce-core", "io.lettuce.core.RedisClient"},
        {"Netty", "io.netty", "netty-common", "io.netty.util.Version"},
        {"Bucket4j", "com.bucket4j", "bucket4j_jdk17-core", "io.github.bucket4j.Bucket"},
        {"Redisson", "org.redisson", "redisson", "org.redisson.Redisson"},
        {"Guava", "com.google.guava", "guava", "com.google.common.util.concurrent.RateLimiter"},
        {"Resilience4j", "io.github.resilience4j", "resilience4j-ratelimiter",
            "io.github.resilience4j.ratelimiter.RateLimiter"},
        {"JMH", "org.openjdk.jmh", "jmh-core", "org.openjdk.jmh.runner.Runner"},
        {"HdrHistogram", "org.hdrhistogram", "HdrHistogram", "org.HdrHistogram.Histogram"},
        {"OkHttp", "com.squareup.okhttp3", "okhttp", "okhttp3.OkHttpClient"},
    };

    /** Lettuce and Redisson share Netty; a class path mixing its versions would be a different contender. */
    private static final String[] NETTY_MODULES = {"netty-common", "netty-buffer", "netty-transport", "netty-handler",
        "netty-codec", "netty-codec-base", "netty-resolver", "netty-resolver-dns", "netty-codec-dns"};

    private static final String BUILD_FILE = "bench-versions.properties";

    private Versions() {
    }

    /** {@code RateQueue 0.1.0-SNAPSHOT, Lettuce 7.2.0.RELEASE, Netty 4.2.13.Final, ...}. */
    static String describe() {
        Properties built = load(BUILD_FILE);
        List<String> parts = new ArrayList<>();
        for (String[] lib : LIBRARIES) {
            String version = version(lib[1], lib[2], lib[3], built);
            if (lib[0].equals("Netty") && version != null) {
                TreeSet<String> seen = new TreeSet<>();
                for (String module : NETTY_MODULES) {
                    String v = pomVersion("io.netty", module);
                    if (v != null) {
                        seen.add(v);
                    }
                }
                if (seen.size() > 1) {
                    version = "MIXED " + String.join(" + ", seen);
                }
            }
            parts.add(lib[0] + " " + (version == null ? "absent" : version));
        }
        return String.join(", ", parts);
    }

    private static String version(String group, String artifact, String className, Properties built) {
        String v = pomVersion(group, artifact);
        if (v != null) {
            return v;
        }
        try {
            Class<?> c = Class.forName(className, false, Versions.class.getClassLoader());
            Package p = c.getPackage();
            // Inside the shaded jar every package reads the jar's own manifest: that version would be ours.
            boolean ownJar = c.getProtectionDomain().getCodeSource() != null
                    && Versions.class.getProtectionDomain().getCodeSource() != null
                    && c.getProtectionDomain().getCodeSource().getLocation()
                            .equals(Versions.class.getProtectionDomain().getCodeSource().getLocation());
            if (!ownJar && p != null && p.getImplementationVersion() != null) {
                return p.getImplementationVersion();
            }
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        String declared = built.getProperty(artifact);
        return declared == null ? "unknown" : declared + " (as built)";
    }

    private static String pomVersion(String group, String artifact) {
        return load("META-INF/maven/" + group + "/" + artifact + "/pom.properties").getProperty("version");
    }

    private static Properties load(String resource) {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // An unreadable entry reads as "unknown", which the header then says.
        }
        return p;
    }
}
