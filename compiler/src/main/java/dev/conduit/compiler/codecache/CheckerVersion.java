package dev.conduit.compiler.codecache;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a check's answer depends on besides the file: the checker's code (codeblocks' {@code
 * CodeChecker} and the Python guard it runs) and the engines (GraalJS, Jython). Each is identified
 * by the file it is loaded from (a jar, or a class file in a build's classes folder): its path,
 * size and modification time. A new build or a new engine version thus changes the version, and
 * every entry of the old one misses; reading them costs a few file attributes, not a hash of
 * megabytes of jars.
 */
public final class CheckerVersion {

  /**
   * Bumped when the answers of the same checker and engines change meaning here (how {@code
   * CodeSyntaxes} maps a checker's problems).
   */
  static final int ADAPTER = 1;

  /** Resources that are part of the checker, each in the jar (or folder) that matters. */
  private static final String[] PARTS = {
    "dev/conduit/code/languages/CodeChecker.class", // the checker (codeblocks)
    "dev/conduit/code/python/conduit_guard.py", // the Python rules it applies
    "org/graalvm/polyglot/Context.class", // the polyglot API
    "com/oracle/truffle/js/lang/JavaScriptLanguage.class", // GraalJS
    "org/python/util/PythonInterpreter.class" // Jython
  };

  private CheckerVersion() {}

  /** The version of the checker on this class path. */
  public static String current() {
    StringBuilder version = new StringBuilder("adapter ").append(ADAPTER);
    ClassLoader loader = CheckerVersion.class.getClassLoader();
    for (String part : PARTS) {
      version.append('\n').append(part).append(' ').append(identity(loader.getResource(part)));
    }
    return version.toString();
  }

  private static String identity(URL url) {
    if (url == null) {
      return "absent";
    }
    try {
      Path file =
          switch (url.getProtocol()) {
            case "jar" ->
                Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
            case "file" -> Path.of(url.toURI());
            default -> null;
          };
      if (file == null) {
        return url.toString(); // an unusual loader: its URL is all there is
      }
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return file + " " + a.size() + " " + a.lastModifiedTime().toMillis();
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // unknown: a value no earlier run wrote, so nothing stale is read
      return "unknown " + System.nanoTime();
    }
  }
}
