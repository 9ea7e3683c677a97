package dev.ratequeue.agent.llm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough of RFC 8941 (Structured Field Values) to read the IETF rate-limit headers: a comma-separated
 * list whose members are an item with {@code ;key=value} parameters ({@code "burst";r=50;t=30}), or a
 * dictionary's {@code key=value} ({@code limit=100, remaining=50}). Strings, tokens and numbers are kept as
 * text; inner lists and byte sequences are not needed and are refused.
 */
final class StructuredFields {
  /** One member: {@code key} is set for a dictionary member ({@code remaining=50}), {@code null} in a list. */
  static final class Member {
    final String key;
    final String item;
    final Map<String, String> params;

    Member(String key, String item, Map<String, String> params) {
      this.key = key;
      this.item = item;
      this.params = params;
    }
  }

  private final String s;
  private int i;

  private StructuredFields(String s) {
    this.s = s;
  }

  /** The members in order; {@code null} when the text is not such a list. */
  static List<Member> parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return new StructuredFields(text).members();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private List<Member> members() {
    List<Member> members = new ArrayList<>();
    skipSpaces();
    if (i == s.length()) {
      throw new IllegalArgumentException("empty");
    }
    while (true) {
      members.add(member());
      skipSpaces();
      if (i == s.length()) {
        return members;
      }
      expect(',');
      skipSpaces();
      if (i == s.length()) {
        throw new IllegalArgumentException("a comma with nothing after it");
      }
    }
  }

  private Member member() {
    String key = null;
    String item;
    if (peek() == '"') {
      item = string();
    } else {
      item = word();
      if (i < s.length() && s.charAt(i) == '=') {
        i++;
        key = item.toLowerCase(Locale.ROOT);
        item = peek() == '"' ? string() : word();
      }
    }
    Map<String, String> params = Collections.emptyMap();
    while (i < s.length() && s.charAt(i) == ';') {
      i++;
      skipSpaces();
      String name = word().toLowerCase(Locale.ROOT);
      String value = "?1";
      if (i < s.length() && s.charAt(i) == '=') {
        i++;
        value = peek() == '"' ? string() : word();
      }
      if (params.isEmpty()) {
        params = new HashMap<>();
      }
      params.put(name, value);
    }
    return new Member(key, item, params);
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '\\') {
        if (i == s.length()) {
          break;
        }
        b.append(s.charAt(i++));
      } else if (c == '"') {
        return b.toString();
      } else {
        b.append(c);
      }
    }
    throw new IllegalArgumentException("an unterminated string");
  }

  /** A token, an integer or a decimal, or a boolean ({@code ?1}): the characters those are made of. */
  private String word() {
    int start = i;
    while (i < s.length() && isWordChar(s.charAt(i))) {
      i++;
    }
    if (i == start) {
      throw new IllegalArgumentException("expected a value at " + i);
    }
    return s.substring(start, i);
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~:/?".indexOf(c) >= 0;
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : 0;
  }

  private void expect(char c) {
    if (i >= s.length() || s.charAt(i) != c) {
      throw new IllegalArgumentException("expected '" + c + "' at " + i);
    }
    i++;
  }

  private void skipSpaces() {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
  }
}
