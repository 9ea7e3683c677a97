package dev.ratequeue.coordination.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code ratequeue.lua}, called by digest. The text is sent only when Redis answers NOSCRIPT (first
 * use, a restart, a failover, a resharding), then the call is made once more. On a cluster the text
 * must reach the node that answered NOSCRIPT: see {@link ScriptConnection#loadFor}.
 */
final class GrantScript {
  private static final String RESOURCE = "ratequeue.lua";

  private final String text;
  private final String sha;

  private GrantScript(String text) {
    this.text = text;
    this.sha = sha1(text);
  }

  static GrantScript load() {
    try (InputStream in = GrantScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new GrantScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads the script now, blocking; a failure here only means the first call will load it. */
  void load(ScriptConnection connection) {
    try {
      connection.preload(text);
    } catch (RuntimeException e) {
      // NOSCRIPT handling in run() covers it.
    }
  }

  CompletableFuture<List<Object>> run(ScriptConnection connection, String[] keys, String[] args) {
    return evalsha(connection, keys, args).handle((reply, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(reply);
      }
      if (unwrap(failure) instanceof RedisNoScriptException) {
        return connection.loadFor(keys[0], text).thenCompose(loaded -> evalsha(connection, keys, args));
      }
      return CompletableFuture.<List<Object>>failedFuture(unwrap(failure));
    }).thenCompose(stage -> stage).toCompletableFuture();
  }

  private CompletionStage<List<Object>> evalsha(ScriptConnection connection, String[] keys, String[] args) {
    return connection.commands().<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static String sha1(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
