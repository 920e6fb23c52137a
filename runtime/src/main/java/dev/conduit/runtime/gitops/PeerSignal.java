package dev.conduit.runtime.gitops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * What one instance tells the others on the same PostgreSQL at once, rather than at their next pass
 * (docs/gitops.md, "Convergence"): the database's commit changed (a head evaluated, a pin, an
 * unpin), or a fetch was asked for (the webhook or an admin reached this instance only). Sent with
 * {@code pg_notify} and received on one connection that LISTENs, on a thread of its own. It only
 * wakes the receiver up: what to serve still comes from the database, and the once-a-second pass
 * stays as the fallback (a lost notification, a reconnect, H2, which has no such thing).
 */
final class PeerSignal implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PeerSignal.class.getName());
  static final String CHANNEL = "conduit_gitops";
  private static final long RETRY_MS = 5000;
  private static final int WAIT_MS = 1000;

  /** What happened. */
  enum Kind {
    /** The database's head, current or pinned commit of a source changed. */
    CHANGED,
    /** Someone asked for every source to be fetched now. */
    FETCH
  }

  private final DataSource dataSource;
  private final String self = UUID.randomUUID().toString();
  private final Consumer<Kind> receiver;
  private final Thread thread;
  private volatile boolean closed;

  private PeerSignal(DataSource dataSource, Consumer<Kind> receiver) {
    this.dataSource = dataSource;
    this.receiver = receiver;
    this.thread =
        Thread.ofPlatform().daemon().name("conduit-gitops-listen").unstarted(this::listen);
  }

  /**
   * Listens on a PostgreSQL database, handing every other instance's signal to {@code receiver} (on
   * the listening thread: keep it short); empty on any other database.
   */
  static Optional<PeerSignal> start(DataSource dataSource, Consumer<Kind> receiver) {
    try (Connection c = dataSource.getConnection()) {
      if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
        return Optional.empty();
      }
    } catch (SQLException e) {
      LOG.warning("GitOps: cannot tell the database's kind, no signals between instances: " + e);
      return Optional.empty();
    }
    PeerSignal signal = new PeerSignal(dataSource, receiver);
    signal.thread.start();
    return Optional.of(signal);
  }

  /** Tells the other instances; a failure only costs them the wait until their next pass. */
  void send(Kind kind) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, CHANNEL);
      ps.setString(2, kind.name() + " " + self);
      ps.execute();
    } catch (SQLException e) {
      LOG.warning("GitOps: could not signal the other instances (" + kind + "): " + e);
    }
  }

  private void listen() {
    boolean warned = false;
    while (!closed) {
      try (Connection c = dataSource.getConnection();
          Statement st = c.createStatement()) {
        st.execute("LISTEN " + CHANNEL);
        PGConnection pg = c.unwrap(PGConnection.class);
        LOG.info("GitOps: listening for the other instances' signals (PostgreSQL)");
        warned = false;
        // whatever was signalled while this was not listening: one pass catches up
        receiver.accept(Kind.CHANGED);
        while (!closed) {
          PGNotification[] received = pg.getNotifications(WAIT_MS);
          if (received != null) {
            for (PGNotification n : received) {
              handle(n.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException | LinkageError e) {
        if (closed) {
          return;
        }
        if (!warned) { // once per outage, not every retry
          LOG.warning(
              "GitOps: not listening for the other instances' signals ("
                  + e
                  + "); the once-a-second pass still converges; retrying every "
                  + RETRY_MS / 1000
                  + " s");
          warned = true;
        }
        try {
          Thread.sleep(RETRY_MS);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void handle(String payload) {
    int space = payload.indexOf(' ');
    if (space < 0 || payload.substring(space + 1).equals(self)) {
      return; // malformed, or this instance's own
    }
    try {
      receiver.accept(Kind.valueOf(payload.substring(0, space)));
    } catch (IllegalArgumentException e) {
      // a kind a newer instance knows and this one does not: its next pass sees the database
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(WAIT_MS * 3L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
