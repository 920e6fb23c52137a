package dev.conduit.compiler.parse;

import dev.conduit.compiler.diag.PointerPositions;
import dev.conduit.compiler.diag.Position;
import dev.conduit.compiler.source.FileKind;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A JSON file of the repository, parsed. Positions of JSON pointers are found lazily (only when a
 * diagnostic needs one), so the fast path keeps no per-node bookkeeping.
 *
 * @param path relative to the repository root
 * @param text the file's text, for positions and for printing the source line
 */
public final class ParsedFile implements PointerPositions {

  private final String path;
  private final FileKind kind;
  private final String text;
  private final JsonNode root;
  private volatile Map<String, Position> positions;

  public ParsedFile(String path, FileKind kind, String text, JsonNode root) {
    this.path = path;
    this.kind = kind;
    this.text = text;
    this.root = root;
  }

  @Override
  public String path() {
    return path;
  }

  public FileKind kind() {
    return kind;
  }

  public String text() {
    return text;
  }

  /** The JSON tree; only until the file is bound (see {@link #withoutTree}). */
  public JsonNode root() {
    if (root == null) {
      throw new IllegalStateException(path + ": its JSON tree was let go when it was bound");
    }
    return root;
  }

  /**
   * The same file without its JSON tree, for after binding: later phases read the bound records,
   * and the trees of a 10,000-API repository are most of the compiler's heap (they took its peak
   * memory from under 250 MB to over 400 MB). Text and positions stay.
   */
  public ParsedFile withoutTree() {
    ParsedFile lean = new ParsedFile(path, kind, text, null);
    lean.positions = positions;
    return lean;
  }

  /** Whether the file has a value at {@code pointer} (read from the text: no tree needed). */
  public boolean has(String pointer) {
    return index().containsKey(pointer);
  }

  /** The id the file's path gives it (folder or file name), or null. */
  public String idFromPath() {
    return kind.idFromPath(path);
  }

  /**
   * Where a pointer's property name (or, for array elements and the root, its value) starts; the
   * nearest enclosing node when the pointer does not exist (e.g. a missing property).
   */
  @Override
  public Position positionOf(String pointer) {
    Map<String, Position> index = index();
    String p = pointer == null ? "" : pointer;
    while (true) {
      Position pos = index.get(p);
      if (pos != null) {
        return pos;
      }
      if (p.isEmpty()) {
        return new Position(1, 1);
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  private Map<String, Position> index() {
    Map<String, Position> index = positions;
    if (index == null) {
      index = PositionIndex.build(text);
      positions = index;
    }
    return index;
  }
}
