package dev.ratequeue.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority and a server certificate it signed, for {@code 127.0.0.1} and {@code localhost},
 * made once per JVM in a temporary directory (removed when the JVM exits).
 *
 * <p>Redis wants PEM files; Java clients want a trust store. Both are written:
 * <ul>
 *   <li>{@code ca.crt}, {@code server.crt}, {@code server.key}: PEM, for {@code tls-ca-cert-file},
 *       {@code tls-cert-file} and {@code tls-key-file};</li>
 *   <li>{@code truststore.p12}: PKCS12 holding only the CA certificate, for {@code javax.net.ssl.trustStore}.</li>
 * </ul>
 *
 * <p>The {@code openssl} command makes them when it is on PATH; otherwise the JDK's own {@code keytool} does, and
 * the server's private key is taken out of its PKCS12 store by this class. The system property
 * {@value #TOOL_PROPERTY} ({@code openssl} or {@code keytool}) forces one of the two.
 */
final class TlsMaterial {

    static final String TOOL_PROPERTY = "ratequeue.testing.tls.tool";
    static final String TRUST_STORE_TYPE = "PKCS12";
    private static final String CA_SUBJECT = "RateQueue throwaway test CA";
    private static final int VALIDITY_DAYS = 30;
    private static final long TOOL_TIMEOUT_SECONDS = 60;

    private static TlsMaterial instance;

    final Path directory;
    final Path caCertificate;
    final Path serverCertificate;
    final Path serverKey;
    final Path trustStore;
    final String trustStorePassword;
    final String madeWith;
    private final SSLContext clientContext;

    private TlsMaterial(Path directory, String trustStorePassword, String madeWith) {
        this.directory = directory;
        this.caCertificate = directory.resolve("ca.crt");
        this.serverCertificate = directory.resolve("server.crt");
        this.serverKey = directory.resolve("server.key");
        this.trustStore = directory.resolve("truststore.p12");
        this.trustStorePassword = trustStorePassword;
        this.madeWith = madeWith;
        writeTrustStore();
        this.clientContext = newClientContext();
    }

    /**
     * The material of this JVM, made on first use.
     *
     * @throws TlsUnavailableException if neither openssl nor keytool is available
     */
    static synchronized TlsMaterial get() {
        if (instance == null) {
            instance = create(chooseTool());
        }
        return instance;
    }

    /** A fresh set made with {@code tool} ({@code openssl} or {@code keytool}), not shared: for tests of this class. */
    static TlsMaterial create(String tool) {
        Path dir = TempDirs.create("ratequeue-tls-");
        Reaper.trackDirectory(dir);
        String password = randomToken();
        try {
            if (tool.equals("openssl")) {
                makeWithOpenssl(dir);
            } else {
                makeWithKeytool(dir, password);
            }
            return new TlsMaterial(dir, password, tool);
        } catch (RuntimeException e) {
            Reaper.untrackDirectory(dir);
            TempDirs.deleteQuietly(dir);
            throw e;
        }
    }

    /** An SSL context that trusts only the throwaway CA. */
    SSLContext clientContext() {
        return clientContext;
    }

    private static String chooseTool() {
        String forced = System.getProperty(TOOL_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        if (forced.equals("openssl") || forced.equals("keytool")) {
            if (forced.equals("openssl") ? openssl().isEmpty() : keytool().isEmpty()) {
                throw new TlsUnavailableException(TOOL_PROPERTY + "=" + forced + " but no " + forced + " was found");
            }
            return forced;
        }
        if (openssl().isPresent()) {
            return "openssl";
        }
        if (keytool().isPresent()) {
            return "keytool";
        }
        throw new TlsUnavailableException("cannot make test certificates: no 'openssl' on PATH and no keytool in "
                + Paths.get(System.getProperty("java.home"), "bin"));
    }

    static Optional<Path> openssl() {
        return RedisBinary.findOnPath("openssl");
    }

    static Optional<Path> keytool() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                ? "keytool.exe" : "keytool";
        Path candidate = Paths.get(System.getProperty("java.home"), "bin", name);
        return Files.isExecutable(candidate) ? Optional.of(candidate) : RedisBinary.findOnPath(name);
    }

    private static void makeWithOpenssl(Path dir) {
        String openssl = openssl().orElseThrow().toString();
        writeText(dir.resolve("openssl.cnf"), String.join("\n",
                "[req]",
                "distinguished_name = dn",
                "prompt = no",
                "[dn]",
                "CN = unused",
                "[ca]",
                "basicConstraints = critical,CA:TRUE",
                "keyUsage = critical,keyCertSign,cRLSign",
                "subjectKeyIdentifier = hash",
                "[server]",
                "basicConstraints = critical,CA:FALSE",
                "keyUsage = critical,digitalSignature,keyEncipherment",
                "extendedKeyUsage = serverAuth",
                "subjectAltName = IP:127.0.0.1,DNS:localhost",
                ""));
        String days = Integer.toString(VALIDITY_DAYS);
        run(dir, openssl, "req", "-x509", "-config", "openssl.cnf", "-extensions", "ca", "-newkey", "rsa:2048",
                "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", days, "-subj", "/CN=" + CA_SUBJECT);
        run(dir, openssl, "req", "-new", "-config", "openssl.cnf", "-newkey", "rsa:2048", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        run(dir, openssl, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-set_serial", "0x" + randomToken(), "-out", "server.crt", "-days", days,
                "-extfile", "openssl.cnf", "-extensions", "server");
    }

    private static void makeWithKeytool(Path dir, String password) {
        String keytool = keytool().orElseThrow().toString();
        String validity = Integer.toString(VALIDITY_DAYS);
        List<String> store = Arrays.asList("-storetype", "PKCS12", "-storepass", password);
        run(dir, concat(Arrays.asList(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=" + CA_SUBJECT, "-ext", "bc:c", "-validity", validity, "-keystore", "ca.p12"), store));
        run(dir, concat(Arrays.asList(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-validity", validity, "-keystore", "server.p12"), store));
        run(dir, concat(Arrays.asList(keytool, "-certreq", "-alias", "server", "-keystore", "server.p12",
                "-file", "server.csr"), store));
        run(dir, concat(Arrays.asList(keytool, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile",
                "server.csr", "-outfile", "server.crt", "-rfc", "-validity", validity,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "KU:c=digitalSignature,keyEncipherment",
                "-ext", "EKU=serverAuth"), store));
        run(dir, concat(Arrays.asList(keytool, "-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc",
                "-file", "ca.crt"), store));
        // keytool cannot export a private key; the PKCS12 store holds it in PKCS#8, which is what PEM wraps.
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password.toCharArray());
            Key key = keyStore.getKey("server", password.toCharArray());
            if (!(key instanceof PrivateKey)) {
                throw new IllegalStateException("keytool made no private key 'server' in " + dir.resolve("server.p12"));
            }
            writeText(dir.resolve("server.key"), pem("PRIVATE KEY", key.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + dir.resolve("server.p12"), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not read the server key from " + dir.resolve("server.p12"), e);
        }
    }

    private void writeTrustStore() {
        try (InputStream in = Files.newInputStream(caCertificate);
                OutputStream out = Files.newOutputStream(trustStore)) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore store = KeyStore.getInstance(TRUST_STORE_TYPE);
            store.load(null, null);
            store.setCertificateEntry("ratequeue-test-ca", ca);
            store.store(out, trustStorePassword.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + trustStore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not make a trust store of " + caCertificate, e);
        }
    }

    private SSLContext newClientContext() {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance(TRUST_STORE_TYPE);
            store.load(in, trustStorePassword.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + trustStore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not make an SSL context trusting " + caCertificate, e);
        }
    }

    private static void run(Path dir, String... command) {
        run(dir, Arrays.asList(command));
    }

    private static void run(Path dir, List<String> command) {
        Path output = dir.resolve("tool-output.txt");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(output.toFile())).start();
            if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + TOOL_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void writeText(Path file, String text) {
        try {
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }
}
