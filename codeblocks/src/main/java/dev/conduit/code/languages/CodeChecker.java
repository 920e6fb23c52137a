package dev.conduit.code.languages;

import dev.conduit.code.CodeProblem;
import dev.conduit.code.CodeSource;
import dev.conduit.code.js.JavaScriptEngine;
import dev.conduit.code.python.PythonLevel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.python.core.Py;
import org.python.core.PyException;
import org.python.core.PyObject;
import org.python.core.PySystemState;
import org.python.util.PythonInterpreter;

/**
 * What the compiler asks of a code file: does it parse with the real engine, at the file's own line
 * and column; does it define main(input); and, for Python, does it pass the rules the worker
 * applies before it runs a block (conduit_guard.py: the same code, so the compiler and the runtime
 * cannot disagree). It only parses: no line of a block runs in the compiler.
 *
 * <p>JavaScript: GraalJS parses the file ({@link Context#parse}) with {@code let main;} appended,
 * which is a redeclaration error exactly when the file binds main at the top level (one parse for a
 * sound file; a file with a syntax error is parsed again alone, for its place). Python: Jython
 * compiles the file to a syntax tree and the guard walks it. Syntax errors name the language level
 * (Python 2.7) and, when it recognises one, the Python 3 construct.
 *
 * <p>Thread-safe; the engines are created on first use and shared by every check.
 */
public final class CodeChecker {

  private static final String NO_MAIN = "the block defines no main(input) function";

  private Context js;
  private PythonInterpreter python;
  private PyObject analyse;

  public List<CodeProblem> check(CodeSource code) {
    return switch (code.language()) {
      case JAVASCRIPT -> javascript(code);
      case PYTHON -> python(code);
    };
  }

  // --- JavaScript ---

  private synchronized List<CodeProblem> javascript(CodeSource code) {
    // One parse answers both questions for a sound file: with "let main;" appended it parses
    // exactly when nothing at the top level is called main, and fails as a redeclaration when
    // something is. Any other failure is the file's own: parse it alone for the exact place.
    try {
      jsParser()
          .parse(
              Source.newBuilder("js", code.text() + "\nlet main;", code.file())
                  .cached(false)
                  .buildLiteral());
      return List.of(new CodeProblem(code.file(), 1, 1, NO_MAIN, true));
    } catch (PolyglotException e) {
      if (!e.isSyntaxError()) {
        throw e;
      }
      SourceSection at = e.getSourceLocation();
      long appendedLine = code.text().chars().filter(ch -> ch == '\n').count() + 2;
      if (at != null
          && at.getStartLine() == appendedLine
          && e.getMessage() != null
          && e.getMessage().contains("already been declared")) {
        return List
            .of(); // a redeclaration on the appended line: the file binds main at its top level
      }
    }
    try {
      jsParser()
          .parse(Source.newBuilder("js", code.text(), code.file()).cached(false).buildLiteral());
      return List.of(); // the file parses alone: what failed was the appended line
    } catch (PolyglotException e) {
      if (!e.isSyntaxError()) {
        throw e;
      }
      SourceSection at = e.getSourceLocation();
      return List.of(
          new CodeProblem(
              code.file(),
              at == null ? 1 : Math.max(1, at.getStartLine()),
              at == null ? 1 : Math.max(1, at.getStartColumn()),
              "JavaScript syntax error: " + JavaScriptEngine.syntaxMessage(e.getMessage())));
    }
  }

  private Context jsParser() {
    if (js == null) {
      js =
          JavaScriptEngine.withoutHostPowers(
                  Context.newBuilder("js")
                      .sandbox(SandboxPolicy.CONSTRAINED)
                      .allowHostAccess(HostAccess.CONSTRAINED))
              .option("engine.WarnInterpreterOnly", "false")
              .out(OutputStream.nullOutputStream())
              .err(OutputStream.nullOutputStream())
              .build();
    }
    return js;
  }

  // --- Python ---

  private synchronized List<CodeProblem> python(CodeSource code) {
    List<CodeProblem> problems = new ArrayList<>();
    PyObject result;
    try {
      result = guard().__call__(Py.newUnicode(code.text()), Py.newString(code.file()));
    } catch (PyException e) {
      if (!e.match(Py.SyntaxError)) {
        throw e;
      }
      problems.add(syntaxProblem(code, e));
      return problems;
    }
    for (PyObject p : result.__getitem__(0).asIterable()) {
      problems.add(
          new CodeProblem(
              code.file(),
              p.__getattr__("line").asInt(),
              p.__getattr__("column").asInt(),
              p.__getattr__("message").toString()));
    }
    if (!result.__getitem__(1).__nonzero__()) {
      problems.add(new CodeProblem(code.file(), 1, 1, NO_MAIN, true));
    }
    return problems;
  }

  private static CodeProblem syntaxProblem(CodeSource code, PyException e) {
    int line = 1;
    int column = 1;
    String message = "invalid syntax";
    try {
      e.normalize(); // makes the value a SyntaxError instance with lineno, offset and msg
      PyObject v = e.value;
      if (v != null && v.__findattr__("lineno") != null) {
        PyObject lineno = v.__getattr__("lineno");
        PyObject offset = v.__getattr__("offset");
        line = lineno == Py.None ? 1 : Math.max(1, lineno.asInt());
        column = offset == Py.None ? 1 : Math.max(1, offset.asInt() + 1);
        message = v.__getattr__("msg").toString();
      }
    } catch (RuntimeException ignored) {
      // keep the defaults
    }
    return new CodeProblem(
        code.file(), line, column, PythonLevel.syntaxMessage(message, code.text(), line));
  }

  private PyObject guard() {
    if (analyse == null) {
      Properties props = new Properties();
      props.setProperty("python.cachedir.skip", "true");
      props.setProperty("python.import.site", "false");
      props.setProperty("python.console.encoding", "UTF-8");
      props.setProperty("python.path", "__pyclasspath__/Lib");
      PySystemState.initialize(System.getProperties(), props, new String[0]);
      python = new PythonInterpreter();
      try (InputStream in =
          CodeChecker.class.getResourceAsStream("/dev/conduit/code/python/conduit_guard.py")) {
        python.exec(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      analyse = python.get("analyse");
    }
    return analyse;
  }
}
