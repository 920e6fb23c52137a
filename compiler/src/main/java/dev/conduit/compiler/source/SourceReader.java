package dev.conduit.compiler.source;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diag.Diagnostics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Phase 1, load: picks the files the layout knows (by path), reads and decodes them. Stray JSON
 * files inside the layout's folders are reported (a misplaced file is usually a mistake); every
 * other file (README.md, logos, CI files) is left alone.
 *
 * <p>Each path is classified once ({@link #list}); the compiler hands the listing on (the code
 * files' paths to the engines started ahead, the JSON files' paths to the broken-file pass) and
 * {@link #read} gives each file the kind it was listed with.
 */
public final class SourceReader {
  private SourceReader() {}

  /**
   * The files of the tree the layout gives a kind, in the tree's (sorted) order, each path matched
   * once ({@link FileKind#of}); reports stray JSON files (C004).
   */
  public static List<ListedFile> list(SourceTree tree, Diagnostics out) {
    List<String> paths = tree.paths();
    List<ListedFile> listed = new ArrayList<>(paths.size());
    for (String path : paths) {
      FileKind kind = FileKind.of(path);
      if (kind != null) {
        listed.add(new ListedFile(path, kind));
      } else if (FileKind.isStrayJson(path)) {
        out.add(
            new Diagnostic(
                Code.C004,
                Code.C004.defaultSeverity(),
                path,
                0,
                0,
                null,
                "this file is not part of the repository layout and is ignored",
                "see docs/file-kinds.md for where each kind of file goes"));
      }
    }
    return listed;
  }

  /** The paths of the listed code files, in order. */
  public static List<String> codePaths(List<ListedFile> listed) {
    return listed.stream().filter(f -> f.kind() == FileKind.CODE).map(ListedFile::path).toList();
  }

  /**
   * Reads and decodes the listed files, in parallel; a file that cannot be read is reported and
   * left out. A repository past {@link SourceTree#MAX_FILES} or {@link
   * SourceTree#MAX_REPOSITORY_BYTES} is reported once (C006) and none of its files is read.
   */
  public static List<SourceFile> read(SourceTree tree, List<ListedFile> listed, Diagnostics out) {
    Optional<Diagnostic> tooLarge = tooLarge(tree, listed);
    if (tooLarge.isPresent()) {
      out.add(tooLarge.get());
      return List.of();
    }
    return listed.parallelStream()
        .map(f -> readOne(tree, f.path(), f.kind(), out))
        .filter(Objects::nonNull)
        .toList();
  }

  /**
   * Whether the listed files together are more than the compiler reads of one repository, judged
   * from their sizes before any is read. Files over {@link SourceTree#MAX_FILE_BYTES} do not count:
   * they are reported on their own and never read.
   */
  private static Optional<Diagnostic> tooLarge(SourceTree tree, List<ListedFile> listed) {
    String hint = "a repository holds one organization's files; keep large data out of it";
    if (listed.size() > SourceTree.MAX_FILES) {
      return Optional.of(
          new Diagnostic(
              Code.C006,
              Code.C006.defaultSeverity(),
              listed.get(SourceTree.MAX_FILES).path(),
              0,
              0,
              null,
              "the repository has "
                  + listed.size()
                  + " files the compiler reads; the limit is "
                  + SourceTree.MAX_FILES
                  + " (no file was read)",
              hint));
    }
    long total = 0;
    for (ListedFile f : listed) {
      long size;
      try {
        size = tree.size(f.path());
      } catch (IOException e) {
        continue; // reported when it is read
      }
      if (size > SourceTree.MAX_FILE_BYTES) {
        continue;
      }
      total += size;
      if (total > SourceTree.MAX_REPOSITORY_BYTES) {
        return Optional.of(
            new Diagnostic(
                Code.C006,
                Code.C006.defaultSeverity(),
                f.path(),
                0,
                0,
                null,
                "with this file the repository's files pass "
                    + SourceTree.MAX_REPOSITORY_BYTES
                    + " bytes, the most the compiler reads of one repository (no file was read)",
                hint));
      }
    }
    return Optional.empty();
  }

  private static SourceFile readOne(SourceTree tree, String path, FileKind kind, Diagnostics out) {
    try {
      long size = tree.size(path);
      if (size > SourceTree.MAX_FILE_BYTES) {
        out.add(
            new Diagnostic(
                Code.C006,
                Code.C006.defaultSeverity(),
                path,
                0,
                0,
                null,
                "the file has " + size + " bytes; the limit is " + SourceTree.MAX_FILE_BYTES,
                null));
        return null;
      }
      byte[] bytes = tree.read(path);
      return decode(path, bytes, out::add)
          .map(text -> new SourceFile(path, kind, text))
          .orElse(null);
    } catch (IOException e) {
      out.add(
          new Diagnostic(
              Code.C001,
              Code.C001.defaultSeverity(),
              path,
              0,
              0,
              null,
              "cannot read the file: " + e.getMessage(),
              null));
      return null;
    }
  }

  /** Decodes UTF-8 strictly (a leading BOM is dropped); reports C001 otherwise. */
  static Optional<String> decode(String path, byte[] bytes, Consumer<Diagnostic> report) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
    } catch (CharacterCodingException e) {
      report.accept(
          new Diagnostic(
              Code.C001,
              Code.C001.defaultSeverity(),
              path,
              0,
              0,
              null,
              "the file is not UTF-8 text",
              "save it as UTF-8"));
      return Optional.empty();
    }
  }
}
