package dev.conduit.compiler.codecache;

import dev.conduit.compiler.check.CodeSyntax.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cache's files: one per key (a hex hash), under a folder named by its first two characters,
 * holding a check's problems as lines of text. An entry that does not read back whole (cut short,
 * edited, another format) is a miss and is written again; a folder that cannot be written only
 * means nothing is kept. Entries are written to a temporary file and moved into place, so that a
 * concurrent run reads either nothing or a whole entry.
 */
public final class CodeCheckStore {

  /** The first line of every entry; a change of format changes it, and old entries then miss. */
  static final String HEADER = "conduit code check 1";

  private final Path directory;

  public CodeCheckStore(Path directory) {
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  /** The problems stored for this key; empty when there is no whole entry for it. */
  public Optional<List<Problem>> get(String key) {
    Path file = file(key);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) { // missing, unreadable, not UTF-8
      return Optional.empty();
    }
    return parse(lines);
  }

  /** Whether there is an entry for this key, whole or not (one look at the file system). */
  public boolean has(String key) {
    return Files.isRegularFile(file(key));
  }

  /** Stores the problems for this key; a failure to write is ignored (the check is still right). */
  public void put(String key, List<Problem> problems) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (Problem p : problems) {
      text.append("problem ")
          .append(p.line())
          .append(' ')
          .append(p.column())
          .append(' ')
          .append(p.missingMain() ? 1 : 0)
          .append(' ')
          .append(escape(p.message()))
          .append('\n');
    }
    text.append("end ").append(problems.size()).append('\n');
    Path file = file(key);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), key, ".tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | RuntimeException e) {
      // a read-only or full disk: the next run checks again
    }
  }

  private Path file(String key) {
    return directory.resolve(key.substring(0, 2)).resolve(key.substring(2));
  }

  private static Optional<List<Problem>> parse(List<String> lines) {
    if (lines.size() < 2 || !lines.getFirst().equals(HEADER)) {
      return Optional.empty();
    }
    List<Problem> problems = new ArrayList<>();
    try {
      for (String line : lines.subList(1, lines.size() - 1)) {
        String[] f = line.split(" ", 5);
        if (f.length != 5 || !f[0].equals("problem") || !(f[3].equals("0") || f[3].equals("1"))) {
          return Optional.empty();
        }
        problems.add(
            new Problem(
                Integer.parseInt(f[1]), Integer.parseInt(f[2]), unescape(f[4]), f[3].equals("1")));
      }
    } catch (IllegalArgumentException e) { // a number that is not one, a broken escape
      return Optional.empty();
    }
    // the count at the end: an entry cut short after a whole line still misses
    return lines.getLast().equals("end " + problems.size())
        ? Optional.of(List.copyOf(problems))
        : Optional.empty();
  }

  private static String escape(String message) {
    return message.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i == text.length()) {
        throw new IllegalArgumentException("a lone backslash at the end");
      }
      out.append(
          switch (text.charAt(i)) {
            case '\\' -> '\\';
            case 'n' -> '\n';
            case 'r' -> '\r';
            default -> throw new IllegalArgumentException("unknown escape");
          });
    }
    return out.toString();
  }
}
