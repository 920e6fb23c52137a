package dev.conduit.compiler.codecache;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a check's answer depends on besides the file: the checker's own code (codeblocks' {@code
 * CodeChecker}, the classes whose messages it reports, the Python guard it runs) and the engines
 * (GraalJS, the polyglot API, Jython).
 *
 * <p>The checker's code by the SHA-256 of those classes' bytes: a rebuild of the same source gives
 * the same version, so a CI runner that builds Conduit on every run still finds the answers it kept
 * (a jar's time, or its bytes, change with every build). The engines by the name and size of the
 * jar each is loaded from: released artifacts whose names carry their version, megabytes that are
 * not worth hashing on every run.
 */
public final class CheckerVersion {

  /**
   * Bumped when the answers of the same checker and engines change meaning here (how {@code
   * CodeSyntaxes} maps a checker's problems, or the checker reads classes not listed below).
   */
  static final int ADAPTER = 1;

  /** The checker's code: CodeChecker and what its answers are made of. */
  private static final String[] CHECKER = {
    "dev/conduit/code/languages/CodeChecker.class",
    "dev/conduit/code/js/JavaScriptEngine.class", // the JavaScript syntax messages
    "dev/conduit/code/python/PythonLevel.class", // the Python syntax messages
    "dev/conduit/code/CodeProblem.class",
    "dev/conduit/code/python/conduit_guard.py" // the Python rules
  };

  /** A class of each engine, to find its jar. */
  private static final String[] ENGINES = {
    "org/graalvm/polyglot/Context.class",
    "com/oracle/truffle/js/lang/JavaScriptLanguage.class",
    "org/python/util/PythonInterpreter.class"
  };

  private CheckerVersion() {}

  /** The version of the checker on this class path. */
  public static String current() {
    StringBuilder version = new StringBuilder("adapter ").append(ADAPTER);
    ClassLoader loader = CheckerVersion.class.getClassLoader();
    for (String part : CHECKER) {
      version.append('\n').append(part).append(' ').append(sha256(loader, part));
    }
    for (String part : ENGINES) {
      version.append('\n').append(part).append(' ').append(jar(loader.getResource(part)));
    }
    return version.toString();
  }

  private static String sha256(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return "absent";
      }
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
    } catch (IOException | NoSuchAlgorithmException e) {
      return unknown();
    }
  }

  private static String jar(URL url) {
    if (url == null) {
      return "absent";
    }
    if (!url.getProtocol().equals("jar")) {
      return url.toString(); // an engine outside a jar (unusual): its place is all there is
    }
    try {
      Path jar = Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
      return jar.getFileName() + " " + Files.size(jar);
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return unknown();
    }
  }

  /** A value no earlier run wrote, so nothing stale is read. */
  private static String unknown() {
    return "unknown " + System.nanoTime();
  }
}
