package dev.conduit.runtime.gitops;

import dev.conduit.runtime.metrics.RuntimeMetrics;
import dev.conduit.runtime.store.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The database's word on each Git source (which commit is current, pinned, last evaluated) and the
 * deployment history. Every change of the current commit is one conditional UPDATE, so of several
 * instances that compile the same new commit exactly one records it.
 */
final class DeploymentStore {

  /** What the database says about one source. */
  record State(
      String source,
      String organizationId,
      String head,
      String current,
      String pinned,
      String fetchError,
      Instant fetchErrorAt) {

    /** The commit every instance serves: the pin, else the newest good commit of the branch. */
    String target() {
      return pinned != null ? pinned : current;
    }
  }

  private static final int MAX_DIAGNOSTICS_CHARS = 262_144;
  private static final int MAX_ERROR_CHARS = 2000;

  private final Jdbc jdbc;
  private final Clock clock;
  private final RuntimeMetrics metrics;
  private volatile Runnable onChange = () -> {};

  DeploymentStore(DataSource dataSource, Clock clock) {
    this(dataSource, clock, RuntimeMetrics.NONE);
  }

  /** Every deployment row goes through {@link #record}: it is also where they are counted. */
  DeploymentStore(DataSource dataSource, Clock clock, RuntimeMetrics metrics) {
    this.jdbc = new Jdbc(dataSource);
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Called after this store moved a source's head, current or pinned commit (GitOps: tell the other
   * instances, {@link PeerSignal}).
   */
  void onChange(Runnable onChange) {
    this.onChange = onChange;
  }

  private boolean changed(boolean changed) {
    if (changed) {
      onChange.run();
    }
    return changed;
  }

  /** The source's state; its row is created on first use. */
  State state(String source) {
    jdbc.insertIfAbsent(
        "INSERT INTO gitops_source (source, updated_ms) VALUES (?, ?)", source, clock.millis());
    return jdbc.one("SELECT * FROM gitops_source WHERE source = ?", DeploymentStore::state, source)
        .orElseThrow();
  }

  private static State state(ResultSet rs) throws SQLException {
    Long errorMs = Jdbc.nullableLong(rs, "fetch_error_ms");
    return new State(
        rs.getString("source"),
        rs.getString("organization_id"),
        rs.getString("head_commit"),
        rs.getString("current_commit"),
        rs.getString("pinned_commit"),
        rs.getString("fetch_error"),
        errorMs == null ? null : Instant.ofEpochMilli(errorMs));
  }

  /**
   * Records that {@code head} of the branch was evaluated, if no other instance got there first
   * (the head is still {@code expectedHead}): true when this call won. {@code current} is the new
   * newest good commit (head when it compiled, else unchanged).
   */
  boolean advance(
      String source, String expectedHead, String head, String current, String organizationId) {
    return changed(
        jdbc.update(
                "UPDATE gitops_source SET head_commit = ?, current_commit = ?,"
                    + " organization_id = COALESCE(?, organization_id), updated_ms = ?"
                    + " WHERE source = ? AND COALESCE(head_commit, '') = ?",
                head,
                current,
                organizationId,
                clock.millis(),
                source,
                expectedHead == null ? "" : expectedHead)
            == 1);
  }

  void pin(String source, String commit) {
    changed(
        jdbc.update(
                "UPDATE gitops_source SET pinned_commit = ?, updated_ms = ? WHERE source = ?",
                commit,
                clock.millis(),
                source)
            == 1);
  }

  /** True when the source was pinned (and is not any more). */
  boolean unpin(String source) {
    return changed(
        jdbc.update(
                "UPDATE gitops_source SET pinned_commit = NULL, updated_ms = ?"
                    + " WHERE source = ? AND pinned_commit IS NOT NULL",
                clock.millis(),
                source)
            == 1);
  }

  void fetchFailed(String source, String message) {
    jdbc.update(
        "UPDATE gitops_source SET fetch_error = ?, fetch_error_ms = ? WHERE source = ?",
        cap(message, MAX_ERROR_CHARS),
        clock.millis(),
        source);
  }

  void fetchSucceeded(String source) {
    jdbc.update(
        "UPDATE gitops_source SET fetch_error = NULL, fetch_error_ms = NULL"
            + " WHERE source = ? AND fetch_error IS NOT NULL",
        source);
  }

  Deployment record(
      String source,
      String organizationId,
      GitMirror.CommitInfo commit,
      String actor,
      Deployment.Result result,
      int diagnosticsCount,
      String diagnostics) {
    Deployment d =
        new Deployment(
            UUID.randomUUID().toString(),
            source,
            organizationId,
            commit.id(),
            cap(commit.author(), 400),
            cap(commit.subject(), 400),
            commit.committedAt(),
            clock.instant(),
            actor,
            result,
            diagnosticsCount,
            diagnostics == null ? null : cap(diagnostics, MAX_DIAGNOSTICS_CHARS));
    jdbc.update(
        "INSERT INTO gitops_deployment (id, source, organization_id, commit_id, author, subject,"
            + " committed_ms, deployed_ms, actor, result, diagnostics_count, diagnostics)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        d.id(),
        d.source(),
        d.organizationId(),
        d.commit(),
        d.author(),
        d.subject(),
        d.committedAt() == null ? null : d.committedAt().toEpochMilli(),
        d.deployedAt().toEpochMilli(),
        d.actor(),
        d.result().text(),
        d.diagnosticsCount(),
        d.diagnostics());
    metrics.deployment(source, d.result().text());
    return d;
  }

  /** Another source whose commits have served this organization id, if any. */
  Optional<String> otherSourceOf(String organizationId, String source) {
    return jdbc.one(
        "SELECT source FROM gitops_source WHERE organization_id = ? AND source <> ?"
            + " ORDER BY source",
        rs -> rs.getString(1),
        organizationId,
        source);
  }

  /** Newest first. */
  List<Deployment> history(String source, int limit, int offset) {
    return jdbc.query(
        "SELECT * FROM gitops_deployment WHERE source = ? ORDER BY deployed_ms DESC, id"
            + " LIMIT ? OFFSET ?",
        DeploymentStore::deployment,
        source,
        limit,
        offset);
  }

  Optional<Deployment> deployment(String source, String id) {
    return jdbc.one(
        "SELECT * FROM gitops_deployment WHERE source = ? AND id = ?",
        DeploymentStore::deployment,
        source,
        id);
  }

  /**
   * The full id of a commit of this source that compiled clean, from its full id or a prefix of at
   * least 7 characters; empty when none or more than one matches.
   */
  Optional<String> goodCommit(String source, String commitOrPrefix) {
    List<String> ids =
        jdbc.query(
            "SELECT DISTINCT commit_id FROM gitops_deployment WHERE source = ?"
                + " AND commit_id LIKE ? AND result IN ('deployed', 'held', 'pinned', 'unpinned')",
            rs -> rs.getString(1),
            source,
            commitOrPrefix + "%");
    return ids.size() == 1 ? Optional.of(ids.getFirst()) : Optional.empty();
  }

  private static Deployment deployment(ResultSet rs) throws SQLException {
    Long committed = Jdbc.nullableLong(rs, "committed_ms");
    return new Deployment(
        rs.getString("id"),
        rs.getString("source"),
        rs.getString("organization_id"),
        rs.getString("commit_id"),
        rs.getString("author"),
        rs.getString("subject"),
        committed == null ? null : Instant.ofEpochMilli(committed),
        Instant.ofEpochMilli(rs.getLong("deployed_ms")),
        rs.getString("actor"),
        Deployment.Result.valueOf(rs.getString("result").toUpperCase()),
        rs.getInt("diagnostics_count"),
        rs.getString("diagnostics"));
  }

  private static String cap(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
