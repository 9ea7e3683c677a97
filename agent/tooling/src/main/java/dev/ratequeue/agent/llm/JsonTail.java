package dev.ratequeue.agent.llm;

import java.nio.charset.StandardCharsets;

/**
 * Finds a member in the end of a JSON text whose beginning was cut off, as in the last few KiB of a
 * response: {@code …"finish_reason":"stop"}],"usage":{"prompt_tokens":19,…}}}.
 *
 * <p>A JSON text cannot be read forwards from an arbitrary byte: nothing says whether that byte is inside
 * a string. But it can be read backwards from its end, which is outside every string and at depth 0: each
 * {@code "} is a string's end or start unless an odd number of backslashes stands before it, and that can
 * be told where it stands. So walking back from the end tells, for every byte, whether it is in a string
 * and how deep it is, and a {@code "usage"} inside a message's text (where its quotes are escaped) is never
 * taken for the member. Only a run of backslashes cut by the tail's start is ambiguous, and only at the very
 * start, after everything nearer the end has been read.
 *
 * <p>UTF-8 needs no decoding for this: no byte of a multi-byte character is below 0x80, so none is a quote,
 * a backslash or a bracket.
 */
final class JsonTail {
  private static final int MAX_DEPTH = 256;

  /** A member whose value is an object: the value's bytes, its depth, and the key of the object holding it. */
  static final class Member {
    /** The value's first byte ({@code '{'}) and the one after its last ({@code '}'}). */
    final int start;
    final int end;
    /** 1 for a member of the outermost object, 2 for a member of an object that is a member of it, … */
    final int depth;
    /** The key under which the object holding the member sits; {@code null} when none or cut off. */
    final String parentKey;

    Member(int start, int end, int depth, String parentKey) {
      this.start = start;
      this.end = end;
      this.depth = depth;
      this.parentKey = parentKey;
    }
  }

  private JsonTail() {}

  /**
   * The member named {@code key} nearest the end of {@code b[from, to)} whose value is an object, at depth
   * {@code maxDepth} or less; {@code null} when there is none. {@code b[to - 1]} must be the end of the
   * text (trailing white space allowed); what comes before {@code from} is unknown.
   */
  static Member lastObjectMember(byte[] b, int from, int to, String key, int maxDepth) {
    byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
    int[] open = new int[MAX_DEPTH];
    int depth = 0;
    int foundStart = -1;
    int foundEnd = -1;
    int foundDepth = 0;
    for (int i = to - 1; i >= from; i--) {
      byte c = b[i];
      if (c == '"') {
        int start = stringStart(b, from, i);
        if (start < 0) {
          break;
        }
        i = start;
      } else if (c == '}' || c == ']') {
        if (depth == MAX_DEPTH) {
          break;
        }
        open[depth++] = i;
      } else if (c == '{' || c == '[') {
        if (depth == 0) {
          break;
        }
        int end = open[--depth];
        if ((c == '{') != (b[end] == '}')) {
          break;
        }
        if (foundStart >= 0) {
          if (depth == foundDepth - 1) {
            // The object holding the member found: its key, if it has one.
            return new Member(foundStart, foundEnd, foundDepth, keyBefore(b, from, i));
          }
        } else if (c == '{' && depth >= 1 && depth <= maxDepth && keyIs(b, from, i, wanted)) {
          foundStart = i;
          foundEnd = end + 1;
          foundDepth = depth;
        }
      }
    }
    return foundStart < 0 ? null : new Member(foundStart, foundEnd, foundDepth, null);
  }

  /** The opening quote of the string whose closing quote is at {@code close}; -1 when cut off by {@code from}. */
  private static int stringStart(byte[] b, int from, int close) {
    for (int j = close - 1; j >= from; j--) {
      if (b[j] == '"' && !escaped(b, from, j)) {
        return j;
      }
    }
    return -1;
  }

  /** Whether an odd number of backslashes stands right before {@code quote}. */
  private static boolean escaped(byte[] b, int from, int quote) {
    int backslashes = 0;
    for (int k = quote - 1; k >= from && b[k] == '\\'; k--) {
      backslashes++;
    }
    return (backslashes & 1) == 1;
  }

  /** Whether {@code "key" :} stands right before the value at {@code value}. */
  private static boolean keyIs(byte[] b, int from, int value, byte[] key) {
    int close = colonThenQuote(b, from, value);
    if (close < 0 || close - key.length - 1 < from) {
      return false;
    }
    int open = close - key.length - 1;
    if (b[open] != '"' || escaped(b, from, open)) {
      return false;
    }
    for (int k = 0; k < key.length; k++) {
      if (b[open + 1 + k] != key[k]) {
        return false;
      }
    }
    return true;
  }

  /** The key before the value at {@code value}; {@code null} when it has none (an array's element) or it is cut off. */
  private static String keyBefore(byte[] b, int from, int value) {
    int close = colonThenQuote(b, from, value);
    if (close < 0) {
      return null;
    }
    int open = stringStart(b, from, close);
    return open < 0 ? null : new String(b, open + 1, close - open - 1, StandardCharsets.UTF_8);
  }

  /** The position of the key's closing quote before {@code value}, skipping {@code :} and white space; or -1. */
  private static int colonThenQuote(byte[] b, int from, int value) {
    int k = skipSpaceBack(b, from, value - 1);
    if (k < from || b[k] != ':') {
      return -1;
    }
    k = skipSpaceBack(b, from, k - 1);
    return k >= from && b[k] == '"' ? k : -1;
  }

  private static int skipSpaceBack(byte[] b, int from, int k) {
    while (k >= from && (b[k] == ' ' || b[k] == '\t' || b[k] == '\n' || b[k] == '\r')) {
      k--;
    }
    return k;
  }
}
