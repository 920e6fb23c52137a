package dev.conduit.compiler.source;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.parse.FileKind;
import dev.conduit.compiler.parse.JsonFiles;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Phase 1, load: picks the files the layout knows (by path), reads and decodes them. Stray JSON
 * files inside the layout's folders are reported (a misplaced file is usually a mistake); every
 * other file (README.md, logos, CI files) is left alone.
 */
public final class SourceReader {
  private SourceReader() {}

  public static List<SourceFile> read(SourceTree tree, Diagnostics out) {
    for (String path : tree.paths()) {
      if (FileKind.isStrayJson(path)) {
        out.add(new Diagnostic(Code.C004, Code.C004.defaultSeverity(), path, 0, 0, null,
            "this file is not part of the repository layout and is ignored",
            "see docs/file-kinds.md for where each kind of file goes"));
      }
    }
    return tree.paths().parallelStream()
        .map(path -> {
          FileKind kind = FileKind.of(path);
          return kind == null ? null : readOne(tree, path, kind, out);
        })
        .filter(Objects::nonNull)
        .toList();
  }

  private static SourceFile readOne(SourceTree tree, String path, FileKind kind, Diagnostics out) {
    try {
      long size = tree.size(path);
      if (size > SourceTree.MAX_FILE_BYTES) {
        out.add(new Diagnostic(Code.C006, Code.C006.defaultSeverity(), path, 0, 0, null,
            "the file has " + size + " bytes; the limit is " + SourceTree.MAX_FILE_BYTES, null));
        return null;
      }
      byte[] bytes = tree.read(path);
      return JsonFiles.decode(path, bytes, out::add)
          .map(text -> new SourceFile(path, kind, text))
          .orElse(null);
    } catch (IOException e) {
      out.add(new Diagnostic(Code.C001, Code.C001.defaultSeverity(), path, 0, 0, null,
          "cannot read the file: " + e.getMessage(), null));
      return null;
    }
  }
}
