package dev.ratequeue.testing.workers;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.ratequeue.testing.OpenAiUpstream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The official OpenAI Java SDK (its OkHttp client), as an application uses it: chat completions of a few prompt
 * sizes, whole or streamed (with usage in the last chunk), sync or async. The URI is the API's base
 * ({@code http://host:port/v1}); a status is what the SDK answered or refused with (its exceptions carry it).
 * {@code maxRetries} is the SDK's default, 2: its own retries go through the agent like any other request.
 */
final class OpenAiDriver implements Driver {
  /** Prompts of a few sizes, so the calls' token loads differ as real ones do. */
  private static final String[] PROMPTS = {
      "Say hello.",
      "Summarise in one sentence why a shared rate limit beats one limiter per process.",
      repeat("Translate to French: the quick brown fox jumps over the lazy dog. ", 6),
      repeat("Review this code: for (int i = 0; i < n; i++) { total += values[i] * weights[i]; } ", 12)};

  private final boolean stream;
  private final long maxTokens;
  private final Map<String, OpenAIClient> clients = new ConcurrentHashMap<>();
  private final AtomicLong next = new AtomicLong();

  OpenAiDriver(boolean stream, long maxTokens) {
    this.stream = stream;
    this.maxTokens = maxTokens;
  }

  private static String repeat(String s, int times) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < times; i++) {
      b.append(s);
    }
    return b.toString();
  }

  /** {@code uri}: the API's base; a {@code worker} query parameter becomes the upstream's worker header. */
  private OpenAIClient client(URI uri) {
    return clients.computeIfAbsent(uri.toString(), u -> {
      String query = uri.getRawQuery();
      String base = query == null ? u : u.substring(0, u.indexOf('?'));
      OpenAIOkHttpClient.Builder b = OpenAIOkHttpClient.builder().baseUrl(base).apiKey("test-key");
      if (query != null) {
        for (String pair : query.split("&")) {
          if (pair.startsWith("worker=")) {
            b.putHeader(OpenAiUpstream.WORKER_HEADER, pair.substring("worker=".length()));
          }
        }
      }
      return b.build();
    });
  }

  private ChatCompletionCreateParams params() {
    ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addSystemMessage("You are terse.")
        .addUserMessage(PROMPTS[(int) (next.getAndIncrement() % PROMPTS.length)])
        .maxCompletionTokens(maxTokens);
    if (stream) {
      b.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    return b.build();
  }

  @Override
  public int call(URI uri) throws Exception {
    try {
      if (stream) {
        long tokens = 0;
        try (StreamResponse<ChatCompletionChunk> chunks = client(uri).chat().completions().createStreaming(params())) {
          for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) chunks.stream()::iterator) {
            if (chunk.usage().isPresent()) {
              tokens = chunk.usage().get().totalTokens();
            }
          }
        }
        return tokens > 0 ? 200 : 299; // 299: streamed, but no usage came
      }
      ChatCompletion completion = client(uri).chat().completions().create(params());
      return completion.usage().isPresent() ? 200 : 299;
    } catch (OpenAIServiceException e) {
      return e.statusCode();
    }
  }

  @Override
  public void callAsync(URI uri, IntConsumer status, Consumer<Throwable> failure) {
    if (stream) {
      // The SDK's async streaming still reads on its own executor: a thread per stream. Streams run sync.
      try {
        status.accept(call(uri));
      } catch (Exception e) {
        failure.accept(e);
      }
      return;
    }
    client(uri).async().chat().completions().create(params()).whenComplete((completion, error) -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause == null) {
        status.accept(completion.usage().isPresent() ? 200 : 299);
      } else if (cause instanceof OpenAIServiceException) {
        status.accept(((OpenAIServiceException) cause).statusCode());
      } else {
        failure.accept(cause);
      }
    });
  }
}
