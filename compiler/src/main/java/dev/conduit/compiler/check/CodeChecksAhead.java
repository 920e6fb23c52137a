package dev.conduit.compiler.check;

import dev.conduit.compiler.source.FileKind;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Checks a repository's code files ahead of the check phase, one thread per language, while the
 * compiler reads, parses and validates the JSON files: starting GraalJS and Jython and parsing a
 * thousand blocks cold costs seconds, which would otherwise come on top of everything else.
 *
 * <p>It is the {@link CodeSyntax} the checks ask: a file queued here is answered from its queued
 * check (waiting for it if need be), any other from the engines directly. What is reported does not
 * change: the checks still decide which files they ask about, in their own order, and the
 * diagnostics are sorted at the end. A code file no API uses is parsed for nothing, which is cheap
 * next to waiting for the engines.
 */
public final class CodeChecksAhead implements CodeSyntax, AutoCloseable {

  private record Queued(
      String language, String source, CompletableFuture<List<Problem>> problems) {}

  private final CodeSyntax engines;
  private final Map<String, ExecutorService> threads = new TreeMap<>(); // by language
  private final Map<String, Queued> queued = new ConcurrentHashMap<>(); // by path

  private CodeChecksAhead(CodeSyntax engines) {
    this.engines = engines;
  }

  /**
   * Starts the engines of the languages that the code files among {@code paths} need, each on its
   * own thread (none when there is no code file, or when the checks are {@link #NONE}).
   *
   * @param codePaths the paths of the repository's code files
   */
  public static CodeChecksAhead start(CodeSyntax engines, Collection<String> codePaths) {
    CodeChecksAhead ahead = new CodeChecksAhead(engines);
    if (engines == NONE) {
      return ahead;
    }
    for (String path : codePaths) {
      ahead.threads.computeIfAbsent(
          FileKind.languageOf(path),
          language -> {
            // a daemon: never keeps the process alive
            ExecutorService thread =
                Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().daemon().name("conduit-check-" + language).factory());
            thread.execute(
                () -> {
                  try {
                    engines.prepare(language);
                  } catch (RuntimeException e) {
                    // the first real check meets the same failure and reports it
                  }
                });
            return thread;
          });
    }
    return ahead;
  }

  /**
   * Queues the checks of these code files (text by path), in path order, on their language's
   * thread.
   */
  public void submit(Map<String, String> code) {
    new TreeMap<>(code)
        .forEach(
            (path, source) -> {
              String language = FileKind.languageOf(path);
              ExecutorService thread = threads.get(language);
              if (thread != null) {
                queued.put(
                    path,
                    new Queued(
                        language,
                        source,
                        CompletableFuture.supplyAsync(
                            () -> engines.check(path, language, source), thread)));
              }
            });
  }

  @Override
  public List<Problem> check(String file, String language, String source) {
    Queued q = queued.get(file);
    if (q == null || !q.language.equals(language) || !q.source.equals(source)) {
      return engines.check(file, language, source);
    }
    try {
      return q.problems.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /**
   * Drops the checks not started yet and lets the threads end. A running check is not interrupted:
   * the engines outlive this compilation ({@code conduit diff} compiles twice).
   */
  @Override
  public void close() {
    queued.values().forEach(q -> q.problems.cancel(false));
    threads.values().forEach(ExecutorService::shutdown);
  }
}
