package dev.ratequeue.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP upstream that enforces its limits the way a strict API would, and counts everything: the arrival of
 * every request, every 429 it answered, and every request in flight at once.
 *
 * <ul>
 *   <li><b>Rate</b>: at most {@code limit} accepted requests in any sliding window (a log of arrival times, checked
 *   at each arrival); beyond it the request gets {@code 429} with the configured {@code Retry-After}.</li>
 *   <li><b>Concurrency</b>: beyond {@code maxConcurrent} requests in flight, {@code 429}. A request stops counting
 *   just before its response is finished, so a client can only start its next request after this count went
 *   down: the count is never inflated by the upstream's own bookkeeping.</li>
 * </ul>
 *
 * Paths: anything answers {@code 200 ok}; {@code /redirect?to=/x} answers {@code 302} to {@code /x} (two requests
 * on the wire); {@code ?delay=ms} holds the response; {@code /stream?chunks=n&gap=ms} sends a chunked body slowly.
 * A request's {@code tag} query parameter (or {@code X-Test-Tag} header) is recorded with its arrival.
 */
public final class StrictUpstream implements AutoCloseable {

    /** One request as the upstream saw it. */
    public static final class Arrival {
        public final long nanos;
        public final String path;
        public final String tag;
        /** The {@code worker} query parameter: which client sent it. */
        public final String worker;
        public final int status;

        Arrival(long nanos, String path, Map<String, String> query, String tag, int status) {
            this.nanos = nanos;
            this.path = path;
            this.tag = tag;
            this.worker = query.get("worker");
            this.status = status;
        }

        @Override
        public String toString() {
            return path + (tag == null ? "" : "[" + tag + "]") + (worker == null ? "" : "<" + worker + ">") + "="
                    + status + "@" + nanos;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final int limit;
    private final long windowNanos;
    private final int maxConcurrent;
    private final String retryAfter;
    private final Duration retryAfterHttpDate;
    private final long defaultDelayMillis;
    private final ArrayDeque<Long> window = new ArrayDeque<>();
    private final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile int windowLimit;

    static {
        // The JDK's server writes a response's headers and body in two packets: with Nagle's algorithm on, the
        // client's delayed ACK would hold each response 40 ms, which no real API does.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private StrictUpstream(Builder b) {
        this.limit = b.limit;
        this.windowLimit = b.limit;
        this.windowNanos = b.window.toNanos();
        this.maxConcurrent = b.maxConcurrent;
        this.retryAfter = b.retryAfter;
        this.retryAfterHttpDate = b.retryAfterHttpDate;
        this.defaultDelayMillis = b.delay.toMillis();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "strict-upstream");
            t.setDaemon(true);
            return t;
        });
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code host:port} as a resource's {@code match} names it. */
    public String hostAndPort() {
        return "127.0.0.1:" + port();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** From now on, at most {@code newLimit} requests per window: an upstream whose quota just shrank. */
    public void limit(int newLimit) {
        windowLimit = newLimit;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        try {
            URI uri = exchange.getRequestURI();
            Map<String, String> query = HttpExchanges.query(uri.getRawQuery());
            String tag = query.getOrDefault("tag", exchange.getRequestHeaders().getFirst("X-Test-Tag"));
            int concurrent = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(concurrent, Math::max);
            boolean overRate;
            synchronized (window) {
                while (!window.isEmpty() && now - window.peekFirst() >= windowNanos) {
                    window.pollFirst();
                }
                overRate = windowLimit > 0 && window.size() >= windowLimit;
                if (!overRate) {
                    window.addLast(now);
                }
            }
            if (overRate || (maxConcurrent > 0 && concurrent > maxConcurrent)) {
                arrivals.add(new Arrival(now, uri.getPath(), query, tag, 429));
                inFlight.decrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", retryAfterHttpDate != null
                        ? DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)
                                .plus(retryAfterHttpDate).withNano(0))
                        : retryAfter);
                send(exchange, 429, "too many requests\n");
                return;
            }
            String path = uri.getPath();
            if (path.equals("/redirect")) {
                arrivals.add(new Arrival(now, path, query, tag, 302));
                inFlight.decrementAndGet();
                String passOn = (tag == null ? "" : "&tag=" + tag)
                        + (query.containsKey("worker") ? "&worker=" + query.get("worker") : "");
                exchange.getResponseHeaders().set("Location", query.getOrDefault("to", "/ok")
                        + (passOn.isEmpty() ? "" : "?" + passOn.substring(1)));
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            arrivals.add(new Arrival(now, path, query, tag, 200));
            HttpExchanges.sleep(Long.parseLong(query.getOrDefault("delay", Long.toString(defaultDelayMillis))));
            if (path.equals("/stream")) {
                stream(exchange, Integer.parseInt(query.getOrDefault("chunks", "5")),
                        Long.parseLong(query.getOrDefault("gap", "20")));
                return;
            }
            inFlight.decrementAndGet();
            send(exchange, 200, "ok\n");
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            send(exchange, 500, e + "\n");
        }
    }

    private void stream(HttpExchange exchange, int chunks, long gapMillis) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (int i = 0; i < chunks; i++) {
                out.write(("chunk " + i + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                HttpExchanges.sleep(gapMillis);
            }
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        HttpExchanges.send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Every request so far, in order of arrival. */
    public List<Arrival> arrivals() {
        synchronized (arrivals) {
            return new ArrayList<>(arrivals);
        }
    }

    public long count(int status) {
        return arrivals().stream().filter(a -> a.status == status).count();
    }

    /** Requests that went on the wire and were not refused. */
    public long accepted() {
        return arrivals().stream().filter(a -> a.status != 429).count();
    }

    public int maxConcurrent() {
        return maxInFlight.get();
    }

    /** The most requests (refused ones included) that arrived within any {@code window}. */
    public int maxInAnyWindow(Duration window) {
        return maxInAnyWindow(arrivals(), window);
    }

    /** The most of {@code all} (in order of arrival) that arrived within any {@code window}. */
    public static int maxInAnyWindow(List<Arrival> all, Duration window) {
        long w = window.toNanos();
        int best = 0;
        int start = 0;
        for (int end = 0; end < all.size(); end++) {
            while (all.get(end).nanos - all.get(start).nanos >= w) {
                start++;
            }
            best = Math.max(best, end - start + 1);
        }
        return best;
    }

    public int limit() {
        return limit;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private int limit;
        private Duration window = Duration.ofSeconds(1);
        private int maxConcurrent;
        private String retryAfter = "1";
        private Duration retryAfterHttpDate;
        private Duration delay = Duration.ZERO;

        /** At most {@code limit} requests in any sliding {@code window}; 0: no rate limit. */
        public Builder requests(int limit, Duration window) {
            this.limit = limit;
            this.window = window;
            return this;
        }

        /** At most {@code max} requests in flight; 0: no limit. */
        public Builder maxConcurrent(int max) {
            this.maxConcurrent = max;
            return this;
        }

        /** The {@code Retry-After} value sent with each 429 (seconds, an HTTP date, or anything). */
        public Builder retryAfter(String value) {
            this.retryAfter = value;
            return this;
        }

        /** {@code Retry-After} as an HTTP date this far ahead of each 429 (whole seconds, as HTTP dates are). */
        public Builder retryAfterHttpDate(Duration ahead) {
            this.retryAfterHttpDate = ahead;
            return this;
        }

        /** How long each response takes, unless the request says {@code ?delay=ms}. */
        public Builder responseDelay(Duration delay) {
            this.delay = delay;
            return this;
        }

        public StrictUpstream start() {
            return new StrictUpstream(this);
        }
    }
}
