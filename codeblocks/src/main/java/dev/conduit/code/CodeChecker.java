package dev.conduit.code;


import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.python.core.PyException;
import org.python.core.PyObject;
import org.python.core.PySystemState;
import org.python.util.PythonInterpreter;

/**
 * What the compiler asks of a code file: does it parse (with the real engines, at the file's
 * own line and column), and does it define main(input). Python is compiled, never run, in the
 * compiler's process; JavaScript's top level runs in a sealed context with a statement limit
 * (a block's top level only defines functions).
 */
public final class CodeChecker {

  private static final Pattern PY_MAIN = Pattern.compile("(?m)^def\\s+main\\s*\\(");
  private static final String PY_LEVEL =
      " (Python blocks run on Jython, which is Python 2.7: f-strings, print(..., end=...), async/await,"
          + " nonlocal, type hints and the walrus operator are Python 3 only)";
  private static final List<String> PY_FORBIDDEN = List.of("__subclasses__", "__bases__", "__base__", "__mro__",
      "__globals__", "__builtins__", "__import__", "__code__", "__closure__", "__dict__", "func_globals",
      "func_code", "f_globals", "f_locals", "f_back", "gi_frame", "tb_frame", "__getattribute__", "__class__",
      "im_func", "im_self");

  private static volatile PythonInterpreter python;

  public List<CodeProblem> check(CodeSource code) {
    return switch (code.language()) {
      case JAVASCRIPT -> javascript(code);
      case PYTHON -> python(code);
    };
  }

  private static List<CodeProblem> javascript(CodeSource code) {
    List<CodeProblem> problems = new ArrayList<>();
    Source source = Source.newBuilder("js", code.text(), code.file()).buildLiteral();
    try (Context ctx = Context.newBuilder("js")
        .allowHostAccess(org.graalvm.polyglot.HostAccess.NONE)
        .allowHostClassLookup(c -> false)
        .allowIO(org.graalvm.polyglot.io.IOAccess.NONE)
        .option("engine.WarnInterpreterOnly", "false")
        .out(java.io.OutputStream.nullOutputStream()).err(java.io.OutputStream.nullOutputStream())
        .resourceLimits(ResourceLimits.newBuilder().statementLimit(100_000, null).build())
        .build()) {
      try {
        ctx.parse(source);
      } catch (PolyglotException e) {
        if (e.isSyntaxError()) {
          var loc = e.getSourceLocation();
          problems.add(new CodeProblem(code.file(), loc == null ? 1 : loc.getStartLine(),
              loc == null ? 1 : loc.getStartColumn(), "JavaScript syntax error: " + firstLine(e.getMessage()), false));
          return problems;
        }
      }
      try {
        ctx.eval(source);
        if (!ctx.getBindings("js").hasMember("main") || !ctx.getBindings("js").getMember("main").canExecute()) {
          problems.add(new CodeProblem(code.file(), 1, 1, "the block defines no main(input) function", true));
        }
      } catch (PolyglotException e) {
        // top-level code that fails is the block's business at run time; main is what matters
        if (!ctx.getBindings("js").hasMember("main")) {
          problems.add(new CodeProblem(code.file(), 1, 1, "the block defines no main(input) function", true));
        }
      }
    }
    return problems;
  }

  private static List<CodeProblem> python(CodeSource code) {
    List<CodeProblem> problems = new ArrayList<>();
    try {
      interpreter().compile(code.text(), code.file());
    } catch (PyException e) {
      int line = 1;
      int column = 1;
      String message = "syntax error";
      PyObject v;
      try {
        e.normalize(); // makes the value a SyntaxError instance with lineno, offset and msg
        v = e.value;
        if (v != null && v.__findattr__("lineno") != null) {
          line = Math.max(1, v.__getattr__("lineno").asInt());
          column = Math.max(1, v.__getattr__("offset").asInt() + 1);
          message = v.__getattr__("msg").toString();
        }
      } catch (RuntimeException ignored) {
        v = null; // keep the defaults
      }
      problems.add(new CodeProblem(code.file(), line, column, "Python syntax error: " + message + PY_LEVEL, false));
      return problems;
    }
    for (String name : PY_FORBIDDEN) {
      int at = code.text().indexOf(name);
      if (at >= 0) {
        int line = 1 + (int) code.text().substring(0, at).chars().filter(c -> c == '\n').count();
        problems.add(new CodeProblem(code.file(), line, 1 + at - code.text().lastIndexOf('\n', at - 1) - 1,
            "'" + name + "' is not allowed in code blocks (it only serves to climb out of the sandbox)", false));
      }
    }
    if (!PY_MAIN.matcher(code.text()).find()) {
      problems.add(new CodeProblem(code.file(), 1, 1, "the block defines no main(input) function", true));
    }
    return problems;
  }

  private static PythonInterpreter interpreter() {
    if (python == null) {
      synchronized (CodeChecker.class) {
        if (python == null) {
          Properties props = new Properties();
          props.setProperty("python.cachedir.skip", "true");
          props.setProperty("python.import.site", "false");
          props.setProperty("python.console.encoding", "UTF-8");
          PySystemState.initialize(System.getProperties(), props, new String[0]);
          python = new PythonInterpreter();
        }
      }
    }
    return python;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return JavaScriptEngineMessages.clean(nl < 0 ? s : s.substring(0, nl));
  }

  /** Shares the engine's message cleaning. */
  static final class JavaScriptEngineMessages {
    private JavaScriptEngineMessages() {}

    static String clean(String s) {
      return s.replaceFirst("^SyntaxError:\\s*", "").replaceFirst("^[^:]+\\.js:\\d+:\\d+\\s*", "").strip();
    }
  }

}
