package dev.ratequeue.agent.llm;

import java.util.Locale;

/**
 * The OpenAI-compatible endpoints whose requests say what they will cost, recognised by how the path ends,
 * so that {@code /v1/chat/completions}, Azure's {@code /openai/deployments/x/chat/completions} and a
 * gateway's {@code /proxy/openai/v1/chat/completions} are all the same endpoint.
 */
enum Endpoint {
  CHAT_COMPLETIONS("/chat/completions"),
  COMPLETIONS("/completions"),
  EMBEDDINGS("/embeddings"),
  RESPONSES("/responses");

  private static final String AZURE_DEPLOYMENTS = "/deployments/";

  private final String suffix;

  Endpoint(String suffix) {
    this.suffix = suffix;
  }

  /** The endpoint {@code path} ends with (a query and trailing slashes aside); {@code null} for any other. */
  static Endpoint of(String path) {
    String p = trimmed(path);
    if (p == null) {
      return null;
    }
    for (Endpoint e : values()) {
      // CHAT_COMPLETIONS comes first: "/chat/completions" also ends with "/completions".
      if (p.endsWith(e.suffix) || p.equals(e.suffix.substring(1))) {
        return e;
      }
    }
    return null;
  }

  /**
   * The deployment an Azure OpenAI path names ({@code /openai/deployments/gpt-4o-prod/chat/completions}),
   * where the body usually names no model; deployments are mostly named after their model. {@code null}
   * when the path has none.
   */
  static String azureDeployment(String path) {
    String p = trimmed(path);
    if (p == null) {
      return null;
    }
    int at = p.indexOf(AZURE_DEPLOYMENTS);
    if (at < 0) {
      return null;
    }
    int start = at + AZURE_DEPLOYMENTS.length();
    int end = p.indexOf('/', start);
    return end <= start ? null : p.substring(start, end);
  }

  private static String trimmed(String path) {
    if (path == null) {
      return null;
    }
    String p = path;
    int cut = p.indexOf('?');
    if (cut >= 0) {
      p = p.substring(0, cut);
    }
    cut = p.indexOf('#');
    if (cut >= 0) {
      p = p.substring(0, cut);
    }
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.toLowerCase(Locale.ROOT);
  }
}
