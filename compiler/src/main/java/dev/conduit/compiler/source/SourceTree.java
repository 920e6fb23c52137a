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

  /**
   * The most the compiler reads of one repository, its files together (C006 past it, and no file is
   * read). Git stores a blob once however many paths name it, so a push of a few kilobytes can name
   * one 2 MB file under thousands of paths; the runtime compiles each pushed commit in its own JVM,
   * which would read them all. About four times the 10,000-API bench repository.
   */
  long MAX_REPOSITORY_BYTES = 128L * 1024 * 1024;

  /** The most files of the layout's kinds the compiler reads of one repository (C006 past it). */
  int MAX_FILES = 50_000;

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
