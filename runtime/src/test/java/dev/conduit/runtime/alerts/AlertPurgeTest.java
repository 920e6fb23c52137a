package dev.conduit.runtime.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conduit.runtime.store.Databases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog of alerts larger than one purge transaction (a first purge, a shorter retention) goes
 * batch after batch, with its deliveries; no newer alert or delivery does. On H2.
 */
class AlertPurgeTest {

  @TempDir Path dir;

  @Test
  void aBacklogLargerThanABatchIsPurgedAndNewerAlertsKept() throws Exception {
    DataSource ds = Databases.h2(dir);
    Alerts alerts = new Alerts(ds, Clock.systemUTC(), null); // a purge tells nobody
    long cutoff = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
    int backlog = Alerts.PURGE_BATCH + 7; // two batches, the last one short
    try (Connection c = ds.getConnection();
        PreparedStatement alert =
            c.prepareStatement(
                "INSERT INTO alert (id, at_ms, organization_id, connection_id, error_type, message)"
                    + " VALUES (?, ?, 'org', 'send', 'UPSTREAM', 'down')");
        PreparedStatement delivery =
            c.prepareStatement(
                "INSERT INTO alert_delivery (id, alert_id, organization_id, connection_id, channel,"
                    + " target, state, next_attempt_ms) VALUES (?, ?, 'org', 'send', 'email',"
                    + " 'owner@example.com', 'sent', 0)")) {
      for (int i = 0; i < backlog; i++) {
        add(alert, "old-" + i, cutoff - 1 - i);
      }
      for (int i = 0; i < 3; i++) {
        add(alert, "new-" + i, cutoff + i);
      }
      alert.executeBatch();
      for (String a : List.of("old-0", "old-" + (backlog - 1), "new-0")) {
        delivery.setString(1, "d-" + a);
        delivery.setString(2, a);
        delivery.addBatch();
      }
      delivery.executeBatch();
    }

    assertEquals(backlog, alerts.purgeBefore(cutoff));
    assertEquals(List.of("new-0", "new-1", "new-2"), ids(ds, "SELECT id FROM alert ORDER BY id"));
    assertEquals(
        List.of("new-0"), ids(ds, "SELECT alert_id FROM alert_delivery"), "deliveries go along");
    assertEquals(0, alerts.purgeBefore(cutoff), "nothing left to purge");
  }

  private static void add(PreparedStatement alert, String id, long at) throws SQLException {
    alert.setString(1, id);
    alert.setLong(2, at);
    alert.addBatch();
  }

  private static List<String> ids(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }
}
