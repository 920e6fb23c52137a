package dev.conduit.runtime.gitops;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.bundle.BundleException;
import dev.conduit.code.python.Sandbox;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.library.PublicLibrary;
import dev.conduit.compiler.worker.CommitCompile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.logging.Logger;

/**
 * One commit of a source compiled by the same compiler as {@code conduit compile} (code blocks
 * parsed by the real engines), into a bundle written and read back through the codec, so what is
 * served carries its content hash exactly as a bundle file would. Where it compiles is {@code
 * conduit.git.compile-in}: a compile worker kept warm ({@link WarmCompileWorker}), a compile worker
 * per commit ({@link CompileWorkerProcess}), or this JVM; all run {@link CommitCompile}. When no
 * worker can be started at all (no java command, no class path to give it) the commit compiles
 * here, and the reason is logged once.
 */
final class CommitCompiler {

  private static final Logger LOG = Logger.getLogger(CommitCompiler.class.getName());

  /**
   * The outcome for one commit.
   *
   * @param bundle present when the commit compiled without error
   * @param diagnostics every problem the compiler reported (warnings too), or one made-up
   *     diagnostic when the commit could not be read at all or its worker failed
   * @param failure why the compile gave no answer (its worker crashed, was killed or timed out; the
   *     compile threw), or null: then the outcome is the commit's own and need not be compiled
   *     again
   */
  record Compiled(
      String commit, Optional<Bundle> bundle, List<Diagnostic> diagnostics, String failure) {
    long errors() {
      return diagnostics.stream().filter(Diagnostic::isError).count();
    }
  }

  private final Compiler compiler;
  private final CompileWorkerProcess worker;
  private final WarmCompileWorker warm;
  private final WorkerLaunch launch;
  private volatile String unavailableLogged;
  private volatile boolean unconfinedLogged;

  /**
   * Where the compiler's parallel pass runs in this JVM: its own threads rather than the JVM's
   * common pool, so that they are started by the compiling thread and share its lowered priority
   * (GitOps' thread: {@link BackgroundPriority}) without lowering anything else that uses the
   * common pool. The threads end after a minute without work.
   */
  private final ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

  CommitCompiler(CodeSyntax codeSyntax, Optional<PublicLibrary> publicLibrary) {
    // bubblewrap is detected once (one short process): workers are confined wherever it works
    this(codeSyntax, publicLibrary, Sandbox.detect(true));
  }

  /** With the confinement found on this machine (tests: a machine without bubblewrap). */
  CommitCompiler(CodeSyntax codeSyntax, Optional<PublicLibrary> publicLibrary, Sandbox sandbox) {
    this.compiler = new Compiler(codeSyntax, publicLibrary);
    this.launch = new WorkerLaunch(publicLibrary.map(PublicLibrary::root), sandbox);
    this.worker = new CompileWorkerProcess(launch);
    this.warm = new WarmCompileWorker(launch);
  }

  /** Compiles where the settings say, with no bundle to share parts with; the caller waits. */
  Compiled compile(GitMirror mirror, String commit, GitSettings.Compile settings) {
    return compile(mirror, commit, settings, null);
  }

  /**
   * Compiles where the settings say; the caller waits.
   *
   * @param previous the bundle the source serves now, or null: the compiled bundle is read sharing
   *     its unchanged parts ({@link BundleCodec#read(InputStream, Bundle)}), so that a commit that
   *     changes one connection of thousands leaves only that connection's objects new
   */
  Compiled compile(GitMirror mirror, String commit, GitSettings.Compile settings, Bundle previous) {
    if (settings.in() != GitSettings.CompileIn.SERVER) {
      if (!unconfinedLogged && !launch.confined()) {
        // once per server: the workers still run (niced, empty environment, own folder)
        LOG.warning(
            "GitOps compile workers are "
                + launch.confinement()
                + " (they run niced, with an empty environment and a folder of their own)");
        unconfinedLogged = true;
      }
      try {
        Compiled c =
            settings.in() == GitSettings.CompileIn.WORKER
                ? warm.compile(mirror, commit, settings, previous)
                : worker.compile(mirror, commit, settings, previous);
        unavailableLogged = null;
        return c;
      } catch (CompileWorkerProcess.Unavailable e) {
        if (!e.getMessage().equals(unavailableLogged)) {
          LOG.warning("GitOps compiles in the server: no compile worker: " + e.getMessage());
          unavailableLogged = e.getMessage();
        }
      }
    }
    return pool.submit(() -> compileHere(mirror, commit, previous)).join();
  }

  /** The kept-warm worker (tests). */
  WarmCompileWorker warm() {
    return warm;
  }

  /** How compile workers are confined here, for admins. */
  String confinement() {
    return launch.confinement();
  }

  /** A source is no longer followed: its kept-warm worker, if it has one, stops. */
  void forget(String label) {
    warm.forget(label);
  }

  /** Stops the kept-warm worker (the server stops). */
  void close() {
    warm.close();
    pool.shutdown();
  }

  /** Why the last compile that asked for a worker could not start one (for admins). */
  Optional<String> workerUnavailable() {
    return Optional.ofNullable(unavailableLogged);
  }

  private Compiled compileHere(GitMirror mirror, String commit, Bundle previous) {
    GitSettings.Source source = mirror.source();
    CommitCompile.Outcome outcome =
        CommitCompile.compile(
            compiler,
            mirror.repository(),
            source.url() + "@" + commit,
            commit,
            source.path(),
            source.organization());
    try {
      return read(
          commit,
          outcome.bundle().map(bytes -> () -> new ByteArrayInputStream(bytes)),
          outcome.diagnostics(),
          previous);
    } catch (IOException e) {
      throw new UncheckedIOException("bytes in memory do not fail to read", e);
    }
  }

  /** Where a compiled bundle's bytes are: in memory, or in the file a worker wrote. */
  @FunctionalInterface
  interface BundleBytes {
    InputStream open() throws IOException;
  }

  /**
   * The bundle read back as the codec reads a bundle file, sharing the parts it has in common with
   * {@code previous} (null: none).
   *
   * @throws IOException the bytes could not be read at all (a worker's answer that is missing)
   */
  static Compiled read(
      String commit, Optional<BundleBytes> bundle, List<Diagnostic> diagnostics, Bundle previous)
      throws IOException {
    if (bundle.isEmpty()) {
      return new Compiled(commit, Optional.empty(), diagnostics, null);
    }
    try (InputStream in = bundle.get().open()) {
      return new Compiled(commit, Optional.of(BundleCodec.read(in, previous)), diagnostics, null);
    } catch (BundleException e) {
      return new Compiled(
          commit, Optional.empty(), List.of(CommitCompile.unreadable(e.getMessage())), null);
    }
  }
}
