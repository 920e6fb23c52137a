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
   * left out.
   */
  public static List<SourceFile> read(SourceTree tree, List<ListedFile> listed, Diagnostics out) {
    return listed.parallelStream()
        .map(f -> readOne(tree, f.path(), f.kind(), out))
        .filter(Objects::nonNull)
        .toList();
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
