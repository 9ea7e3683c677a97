package dev.ratequeue.testing.openai;

/** The OpenAI endpoints the upstream answers. */
public enum Endpoint {
    CHAT_COMPLETIONS("/v1/chat/completions"),
    COMPLETIONS("/v1/completions"),
    EMBEDDINGS("/v1/embeddings"),
    RESPONSES("/v1/responses");

    public final String path;

    Endpoint(String path) {
        this.path = path;
    }

    /** The endpoint at {@code path} (a trailing slash allowed), or null. */
    public static Endpoint at(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (Endpoint e : values()) {
            if (e.path.equals(p)) {
                return e;
            }
        }
        return null;
    }
}
