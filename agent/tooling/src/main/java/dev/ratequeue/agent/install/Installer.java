package dev.ratequeue.agent.install;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isExtensionClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.ratequeue.agent.log.AgentLog;
import dev.ratequeue.bootstrap.RateQueueBridge;
import dev.ratequeue.interceptors.InterceptorModule;
import dev.ratequeue.interceptors.TypeAdvice;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the interceptors with Byte Buddy, the way the OpenTelemetry agent does: retransformation
 * without class format changes (classes loaded already can be patched too), types matched by name
 * and only in class loaders that hold the library, advice named rather than loaded and inlined with
 * its helpers injected beside the library. Bootstrap classes and the JDK's platform classes are
 * skipped but for {@code jdk.internal.net.http}, which Byte Buddy's default would skip too.
 *
 * <p>A transformation that fails is logged once (the library then runs unlimited); an exception
 * escaping advice at run time goes to {@link RateQueueBridge#adviceFailed}, never to the application.
 */
public final class Installer {
  private Installer() {}

  public static void install(Instrumentation instrumentation, List<InterceptorModule> modules, ClassLoader agentLoader) {
    JavaModules.openJavaNetHttp(instrumentation);
    ClassDefiner.open(instrumentation);
    // The Nexus serves self-initialising types, which this agent never makes (InitializationStrategy.NoOp);
    // creating it reaches for sun.misc.Unsafe, which JDK 24 and later warn about in every application. The
    // property's name is relocated along with Byte Buddy, so it concerns this agent's copy only.
    System.setProperty("net.bytebuddy.nexus.disabled", "true");
    Advice.ExceptionHandler adviceFailures;
    try {
      adviceFailures = new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(new MethodDescription.ForLoadedMethod(
          RateQueueBridge.class.getMethod("adviceFailed", Throwable.class))));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    AgentBuilder agent = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.DISABLED)
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(new FailureListener())
        .ignore(any(), isBootstrapClassLoader())
        // RateQueue's own classes (the bridge, the agent, helpers once injected, the API), not its users'.
        .or(nameStartsWith("dev.ratequeue.bootstrap.").or(nameStartsWith("dev.ratequeue.shaded."))
            .or(nameStartsWith("dev.ratequeue.agent.")).or(nameStartsWith("dev.ratequeue.coordination."))
            .or(nameStartsWith("dev.ratequeue.interceptors.")).or(nameStartsWith("dev.ratequeue.api.")))
        .or(nameStartsWith("net.bytebuddy."))
        .or(isSynthetic())
        // Generated at run time, without a class file: nothing of a client library, and costly to describe.
        .or(nameStartsWith("jdk.internal.reflect.").or(nameStartsWith("sun.reflect."))
            .or(nameStartsWith("jdk.proxy")).or(nameStartsWith("com.sun.proxy.")).or(nameContains("$$Lambda"))
            .or(nameContains("$$EnhancerBy")).or(nameContains("$ByteBuddy$")))
        .or(not(nameStartsWith("jdk.internal.net.http.")), isExtensionClassLoader());
    for (InterceptorModule module : modules) {
      HasClass hasLibrary = new HasClass(module.markerClassName());
      HelperInjector helpers = new HelperInjector(module.helperClassNames(), agentLoader);
      for (TypeAdvice typeAdvice : module.typeAdvice()) {
        AgentBuilder.Transformer.ForAdvice advice = new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .withExceptionHandler(adviceFailures);
        for (TypeAdvice.MethodAdvice method : typeAdvice.methods()) {
          advice = advice.advice(method.method(), method.adviceClassName());
        }
        AgentBuilder.Identified.Extendable extendable =
            agent.type(typeAdvice.type(), hasLibrary).transform(helpers).transform(advice);
        if (typeAdvice.custom() != null) {
          extendable = extendable.transform(typeAdvice.custom());
        }
        agent = extendable;
      }
      AgentLog.get().debug("interceptor " + module.name() + " installed");
    }
    agent.installOn(instrumentation);
  }

  /** Transformation failures, once per type; everything else Byte Buddy reports is routine. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable error) {
      AgentLog.get().once("transform:" + typeName, AgentLog.Level.WARN, "Could not instrument " + typeName + " ("
          + error + "); calls through it are not rate limited", error);
    }

    @Override
    public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
        boolean loaded, DynamicType dynamicType) {
      AgentLog.get().debug("instrumented " + typeDescription.getName() + " in " + classLoader);
    }
  }
}
