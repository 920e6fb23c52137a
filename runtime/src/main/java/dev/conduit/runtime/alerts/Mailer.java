package dev.conduit.runtime.alerts;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.Properties;

/**
 * Sends alert mails over SMTP with Jakarta Mail (Liberty's mail-2.1 feature provides it on the
 * server). Settings come from MicroProfile Config (conduit.alerts.smtp.*, docs/alerts.md).
 */
public final class Mailer {

  /**
   * SMTP settings; host null or blank turns mail off.
   *
   * @param password never logged, never stored
   */
  public record Settings(
      String host,
      int port,
      String from,
      String username,
      String password,
      boolean startTls,
      int timeoutMillis) {

    public boolean enabled() {
      return host != null && !host.isBlank();
    }

    @Override
    public String toString() {
      return "smtp://" + (username == null ? "" : username + ":***@") + host + ":" + port;
    }
  }

  private final Settings settings;
  private final Session session;

  public Mailer(Settings settings) {
    this.settings = settings;
    Properties p = new Properties();
    p.setProperty("mail.smtp.host", settings.host() == null ? "" : settings.host());
    p.setProperty("mail.smtp.port", Integer.toString(settings.port()));
    // a server that accepts the connection and then stalls must not hold the delivery thread
    p.setProperty("mail.smtp.connectiontimeout", Integer.toString(settings.timeoutMillis()));
    p.setProperty("mail.smtp.timeout", Integer.toString(settings.timeoutMillis()));
    p.setProperty("mail.smtp.writetimeout", Integer.toString(settings.timeoutMillis()));
    p.setProperty("mail.smtp.auth", Boolean.toString(settings.username() != null));
    if (settings.startTls()) {
      p.setProperty("mail.smtp.starttls.enable", "true");
      p.setProperty("mail.smtp.starttls.required", "true");
    }
    this.session = Session.getInstance(p);
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /** Sends one plain-text mail; throws when the server refuses or cannot be reached. */
  public void send(String to, String subject, String text) throws MessagingException {
    if (!enabled()) {
      throw new MessagingException("no SMTP server is configured (conduit.alerts.smtp.host)");
    }
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(settings.from(), true));
    m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
    m.setSubject(subject, "UTF-8");
    m.setText(text, "UTF-8");
    m.setSentDate(new Date());
    if (settings.username() != null) {
      Transport.send(m, settings.username(), settings.password());
    } else {
      Transport.send(m);
    }
  }
}
