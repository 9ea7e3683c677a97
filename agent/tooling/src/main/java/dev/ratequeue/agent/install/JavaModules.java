package dev.ratequeue.agent.install;

import dev.ratequeue.bootstrap.RateQueueBridge;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code java.net.http} is a named module: the advice inlined into its classes calls the bridge (in
 * the bootstrap loader's unnamed module) and helpers injected into the platform loader (its unnamed
 * module), which a named module may only do once it reads them. The bridge also calls a private
 * method of {@code jdk.internal.net.http.MultiExchange} to resume a call once granted, hence the
 * opened package.
 */
final class JavaModules {
  private JavaModules() {}

  static void openJavaNetHttp(Instrumentation instrumentation) {
    Module javaNetHttp = ModuleLayer.boot().findModule("java.net.http").orElse(null);
    if (javaNetHttp == null) {
      return; // a runtime image without it: nothing to instrument
    }
    Module bridge = RateQueueBridge.class.getModule();
    Module platformHelpers = ClassLoader.getPlatformClassLoader().getUnnamedModule();
    Set<Module> reads = new HashSet<>();
    reads.add(bridge);
    reads.add(platformHelpers);
    Map<String, Set<Module>> opens = Collections.singletonMap("jdk.internal.net.http", reads);
    instrumentation.redefineModule(javaNetHttp, reads, Collections.emptyMap(), opens, Collections.emptySet(),
        Collections.emptyMap());
  }
}
