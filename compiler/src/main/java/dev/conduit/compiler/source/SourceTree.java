package dev.conduit.compiler.source;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of an organization repository: a directory on disk, or one commit of a Git repository
 * read without a checkout. Paths are relative, with "/" separators, sorted.
 */
public interface SourceTree extends AutoCloseable {

  /** Files larger than this are reported (C006) instead of read. */
  long MAX_FILE_BYTES = 2L * 1024 * 1024;

  /** What was loaded, for messages: a directory path or "repo@ref". */
  String origin();

  /** The commit compiled, when the tree came from Git. */
  Optional<String> commit();

  /** Every file's path, sorted. */
  List<String> paths();

  /** A file's size in bytes. */
  long size(String path) throws IOException;

  /** A file's bytes. */
  byte[] read(String path) throws IOException;

  /** Releases what the tree holds open (a Git repository). */
  @Override
  default void close() {}
}
