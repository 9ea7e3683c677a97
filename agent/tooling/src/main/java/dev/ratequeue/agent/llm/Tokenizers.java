package dev.ratequeue.agent.llm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;

/**
 * Which byte-pair encoding an OpenAI model's name stands for, by prefix as tiktoken maps them, and the
 * encodings themselves.
 *
 * <p>Each encoding is read from jtokkit's jar the first time it is needed and kept for the JVM's life:
 * o200k_base took 0.65 s and 28 MB of heap here, cl100k_base 0.45 s and 14 MB. A JVM that never calls an
 * LLM pays nothing; one that does pays it on its first call, unless the agent warms them up beforehand.
 */
final class Tokenizers {
  /** Most specific first: {@code gpt-4o} and {@code gpt-4.1} before {@code gpt-4}. */
  private static final String[][] PREFIXES = {
      {"gpt-4o", "o200k_base"}, {"chatgpt-4o", "o200k_base"}, {"gpt-4.1", "o200k_base"}, {"gpt-4.5", "o200k_base"},
      {"gpt-5", "o200k_base"}, {"o1", "o200k_base"}, {"o3", "o200k_base"}, {"o4", "o200k_base"},
      {"gpt-oss", "o200k_base"}, {"gpt-realtime", "o200k_base"}, {"gpt-audio", "o200k_base"},
      {"omni-moderation", "o200k_base"}, {"computer-use-preview", "o200k_base"}, {"codex-mini", "o200k_base"},
      {"gpt-4", "cl100k_base"}, {"gpt-3.5-turbo", "cl100k_base"}, {"gpt-35-turbo", "cl100k_base"},
      {"text-embedding-3-", "cl100k_base"}, {"text-embedding-ada-002", "cl100k_base"},
      {"davinci-002", "cl100k_base"}, {"babbage-002", "cl100k_base"},
  };

  private Tokenizers() {}

  /**
   * The encoding of {@code model}: {@code o200k_base}, {@code cl100k_base}, or {@code null} for a model
   * that is not OpenAI's (or is unknown). Accepts the forms the name arrives in: any case, fine-tuned
   * ({@code ft:gpt-4o-mini:org::id}), behind a router ({@code openai/gpt-4o}), an Azure deployment named
   * after its model ({@code gpt-35-turbo-prod}).
   */
  static String encodingName(String model) {
    if (model == null) {
      return null;
    }
    String m = model.trim().toLowerCase(Locale.ROOT);
    if (m.startsWith("ft:")) {
      m = m.substring(3);
    }
    m = m.substring(m.lastIndexOf('/') + 1);
    for (String[] p : PREFIXES) {
      if (m.startsWith(p[0]) && (m.length() == p[0].length() || !isOSeries(p[0]) || m.charAt(p[0].length()) == '-')) {
        return p[1];
      }
    }
    return null;
  }

  /** "o1" must match {@code o1} and {@code o1-mini}, not {@code o1x-7b}. */
  private static boolean isOSeries(String prefix) {
    return prefix.length() == 2 && prefix.charAt(0) == 'o';
  }

  /** The encoding called {@code name}: {@code o200k_base} or {@code cl100k_base}. */
  static Encoding encoding(String name) {
    return "o200k_base".equals(name) ? O200k.ENCODING : Cl100k.ENCODING;
  }

  /** The tokens of {@code text}, special tokens such as {@code <|endoftext|>} counted as the plain text they are. */
  static int count(Encoding encoding, String text) {
    return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
  }

  private static final class Registry {
    static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  }

  private static final class O200k {
    static final Encoding ENCODING = Registry.REGISTRY.getEncoding(EncodingType.O200K_BASE);
  }

  private static final class Cl100k {
    static final Encoding ENCODING = Registry.REGISTRY.getEncoding(EncodingType.CL100K_BASE);
  }
}
