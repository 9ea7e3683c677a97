package dev.ratequeue.interceptors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The advice for the methods of one kind of type. Build with {@link #forType}. */
public final class TypeAdvice {
  private final ElementMatcher<? super TypeDescription> type;
  private final List<MethodAdvice> methods;
  private final AgentBuilder.Transformer custom;

  private TypeAdvice(ElementMatcher<? super TypeDescription> type, List<MethodAdvice> methods,
      AgentBuilder.Transformer custom) {
    this.type = type;
    this.methods = methods;
    this.custom = custom;
  }

  public static TypeAdvice forType(ElementMatcher<? super TypeDescription> type) {
    return new TypeAdvice(type, Collections.emptyList(), null);
  }

  /** Adds {@code adviceClassName}'s advice to the methods {@code method} matches. */
  public TypeAdvice advise(ElementMatcher<? super MethodDescription> method, String adviceClassName) {
    List<MethodAdvice> more = new ArrayList<>(methods);
    more.add(new MethodAdvice(method, adviceClassName));
    return new TypeAdvice(type, Collections.unmodifiableList(more), custom);
  }

  /** For advice that needs values computed per method at transformation time (see {@code @RateLimited}). */
  public TypeAdvice transformWith(AgentBuilder.Transformer transformer) {
    return new TypeAdvice(type, methods, transformer);
  }

  public ElementMatcher<? super TypeDescription> type() {
    return type;
  }

  public List<MethodAdvice> methods() {
    return methods;
  }

  /** {@code null} unless {@link #transformWith} was used. */
  public AgentBuilder.Transformer custom() {
    return custom;
  }

  /** A method matcher and the name of the advice class for it. */
  public static final class MethodAdvice {
    private final ElementMatcher<? super MethodDescription> method;
    private final String adviceClassName;

    MethodAdvice(ElementMatcher<? super MethodDescription> method, String adviceClassName) {
      this.method = method;
      this.adviceClassName = adviceClassName;
    }

    public ElementMatcher<? super MethodDescription> method() {
      return method;
    }

    public String adviceClassName() {
      return adviceClassName;
    }
  }
}
