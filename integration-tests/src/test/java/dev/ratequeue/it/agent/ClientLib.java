package dev.ratequeue.it.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The client library (one version of it, with its own dependencies) on a worker's class path. */
enum ClientLib {
  OKHTTP_3("okhttp-3"),
  OKHTTP_4("okhttp-4"),
  OKHTTP_5("okhttp-5"),
  HTTPCLIENT5_5_0("httpclient5-5.0"),
  HTTPCLIENT5_LATEST("httpclient5-latest"),
  CONFLICTING_APP("conflicting-app"),
  /** The OpenAI Java SDK on OkHttp 4.12, with the versions of Kotlin and Jackson it asks for. */
  OPENAI_JAVA("openai-java"),
  /** Micrometer and the RateQueue binding, for MicrometerApp. */
  MICROMETER("micrometer"),
  /** java.net.http and HttpURLConnection: nothing beyond the JDK. */
  JDK_ONLY(null);

  private final String module;

  ClientLib(String module) {
    this.module = module;
  }

  List<Path> jars() {
    if (module == null) {
      return Collections.emptyList();
    }
    Path lib = Paths.get(AgentWorkers.property("ratequeue.it.client-libs"), module, "target", "lib");
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException(lib + " is missing: build with 'mvn verify' (client-libs/ copies the jars "
          + "in the package phase)");
    }
    try (Stream<Path> files = Files.list(lib)) {
      return files.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
