package dev.ratequeue.testing.openai;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;

/**
 * The tokenizer OpenAI uses for a model, by the model's name: {@code o200k_base} for the gpt-4o, gpt-4.1, gpt-4.5,
 * o1, o3, o4 and gpt-5 families, {@code cl100k_base} for gpt-4, gpt-3.5, the text-embedding models and anything
 * else.
 *
 * <p>Names are matched by prefix, as tiktoken does, so dated snapshots ({@code gpt-4o-2024-08-06}) and fine-tuned
 * models ({@code ft:gpt-4o-mini:org::id}) get their base model's tokenizer.
 */
public final class Tokenizer {

    private static final String[] O200K_PREFIXES = {
        "gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4",
    };

    private static final class Registry {
        static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
    }

    // Each encoding takes about a second to load: holders load one only once it is asked for.
    private static final class O200k {
        static final Encoding ENCODING = Registry.INSTANCE.getEncoding(EncodingType.O200K_BASE);
    }

    private static final class Cl100k {
        static final Encoding ENCODING = Registry.INSTANCE.getEncoding(EncodingType.CL100K_BASE);
    }

    private Tokenizer() {
    }

    public static Encoding forModel(String model) {
        return usesO200k(model) ? O200k.ENCODING : Cl100k.ENCODING;
    }

    static boolean usesO200k(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        if (name.startsWith("ft:")) {
            name = name.substring(3);
        }
        for (String prefix : O200K_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tokens in {@code text}. Special tokens such as {@code <|endoftext|>} in it count as the plain text they are,
     * as the API treats them in a request.
     */
    public static int count(Encoding encoding, String text) {
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /** Loads both encodings now, so the first request a test times does not pay for it. */
    public static void warmUp() {
        O200k.ENCODING.getName();
        Cl100k.ENCODING.getName();
    }
}
