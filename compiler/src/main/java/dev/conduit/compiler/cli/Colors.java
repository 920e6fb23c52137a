package dev.conduit.compiler.cli;

/** Whether to colour text output: on a terminal by default, never when NO_COLOR is set. */
final class Colors {
  private Colors() {}

  /**
   * Whether standard output is a terminal. Before JDK 22, System.console() is null unless it is;
   * from 22 on it always exists and Console.isTerminal() tells (called reflectively, since the code
   * is built for 21).
   */
  private static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  static boolean enabled(String when) throws UsageProblem {
    return switch (when) {
      case "always" -> true;
      case "never" -> false;
      case "auto" -> System.getenv("NO_COLOR") == null && isTerminal();
      default ->
          throw new UsageProblem("--color takes auto, always or never, not \"" + when + "\"");
    };
  }
}
