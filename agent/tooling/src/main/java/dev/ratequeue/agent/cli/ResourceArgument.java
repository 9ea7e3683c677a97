package dev.ratequeue.agent.cli;

import dev.ratequeue.coordination.ResourceNames;
import dev.ratequeue.coordination.admin.ResourceState;
import dev.ratequeue.coordination.admin.UnknownResourceException;

/** The {@code <resource>} argument of set, pause and resume. */
final class ResourceArgument {
  private ResourceArgument() {}

  static String of(Arguments arguments, String command, String usage) {
    if (arguments.positional().isEmpty()) {
      throw new UsageException(command + " needs a resource: " + usage);
    }
    String name = arguments.positional().get(0);
    ResourceNames.validate("<resource>", name);
    return name;
  }

  static ResourceState stored(Invocation invocation, String name) {
    return invocation.admin.resource(name)
        .orElseThrow(() -> new UnknownResourceException(name, invocation.admin.describe()));
  }
}
