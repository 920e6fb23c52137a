package dev.conduit.runtime.gitops;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every log record of the process, at every level, while open: for the tests that a token, key or
 * passphrase shows in none. The root logger's level is put back on close.
 */
final class LogCapture extends Handler implements AutoCloseable {

  private final List<LogRecord> records = new ArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Level rootLevel;

  LogCapture() {
    rootLevel = root.getLevel();
    setLevel(Level.ALL);
    root.addHandler(this);
    root.setLevel(Level.ALL);
  }

  @Override
  public synchronized void publish(LogRecord r) {
    records.add(r);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
    root.setLevel(rootLevel);
  }

  synchronized List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** A record's message, its parameters and every exception of its cause chain, as one text. */
  static String text(LogRecord r) {
    StringBuilder all = new StringBuilder(String.valueOf(r.getMessage()));
    if (r.getParameters() != null) {
      for (Object p : r.getParameters()) {
        all.append(' ').append(p);
      }
    }
    return all.append(' ').append(causes(r.getThrown())).toString();
  }

  /** An exception and its causes, one a line (empty for null). */
  static String causes(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      b.append(t).append('\n');
    }
    return b.toString();
  }
}
