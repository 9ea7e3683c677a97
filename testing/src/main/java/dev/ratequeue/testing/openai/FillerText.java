package dev.ratequeue.testing.openai;

import com.knuddels.jtokkit.api.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * The text a completion is made of: the same words for the same length, each word one token in both
 * {@code o200k_base} and {@code cl100k_base}, so a completion of {@code n} pieces is {@code n} tokens and a stream
 * can send one token per chunk, as OpenAI's do.
 */
public final class FillerText {

    private static final String FIRST = "The";
    private static final String[] WORDS = {
        " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", " and", " a", " small", " cat",
        " runs", " to", " see", " what", " is", " there", " in", " each", " new", " day", " of", " work",
    };

    private FillerText() {
    }

    /** {@code tokens} pieces of text; joined, they are the completion. */
    public static List<String> pieces(int tokens) {
        List<String> pieces = new ArrayList<>(tokens);
        for (int i = 0; i < tokens; i++) {
            pieces.add(i == 0 ? FIRST : WORDS[(i - 1) % WORDS.length]);
        }
        return pieces;
    }

    /**
     * The pieces of a completion and what it really counts in {@code encoding}: the count is measured, not assumed,
     * so {@code usage} stays true even for an encoding where a word would split.
     */
    public static Completion generate(Encoding encoding, int tokens) {
        List<String> pieces = pieces(tokens);
        String text = String.join("", pieces);
        return new Completion(pieces, text, Tokenizer.count(encoding, text));
    }

    /** A generated completion. */
    public static final class Completion {
        public final List<String> pieces;
        public final String text;
        public final int tokens;

        Completion(List<String> pieces, String text, int tokens) {
            this.pieces = List.copyOf(pieces);
            this.text = text;
            this.tokens = tokens;
        }
    }
}
