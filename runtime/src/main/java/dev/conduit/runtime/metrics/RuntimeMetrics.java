package dev.conduit.runtime.metrics;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The runtime's meters, in MicroProfile Metrics' application registry, which Liberty serves at
 * {@code /metrics} in Prometheus text (docs/metrics.md lists each one and its tags).
 *
 * <p>On the call path a meter is looked up in a map by a small key record, never registered or
 * named again: the first call of a key registers its meters, every later call is one map lookup and
 * an increment. Tag values are ids from the loaded bundles (organization, connection, API,
 * application) and closed sets (kinds, error codes, languages, results), so the number of series is
 * bounded by what the bundles declare; no login, URL, message or secret is ever a tag.
 */
public final class RuntimeMetrics {

  /** Meters that record nothing: for the engine's unit tests and tools outside the server. */
  public static final RuntimeMetrics NONE = new RuntimeMetrics(null);

  /**
   * A tag value for "not this kind of call": calls about a connection have no API, people no app.
   */
  public static final String NONE_TAG = "-";

  static final String CALLS = "conduit.calls";
  static final String CALL_DURATION = "conduit.call.duration";
  static final String TOKEN_REFRESHES = "conduit.token.refreshes";
  static final String CODE_DURATION = "conduit.code.duration";
  static final String DEPLOYMENTS = "conduit.gitops.deployments";
  static final String ALERT_DELIVERIES = "conduit.alert.deliveries";

  private static final Metadata CALLS_META =
      meta(CALLS, "calls by organization, connection, API, application, kind and outcome", null);
  private static final Metadata CALL_DURATION_META =
      meta(CALL_DURATION, "time from the start of an invocation to its outcome", "seconds");
  private static final Metadata TOKEN_REFRESHES_META =
      meta(TOKEN_REFRESHES, "access tokens fetched or refreshed for a call", null);
  private static final Metadata CODE_DURATION_META =
      meta(CODE_DURATION, "time a code block ran, by language", "seconds");
  private static final Metadata DEPLOYMENTS_META =
      meta(DEPLOYMENTS, "deployments recorded by GitOps, by Git source and result", null);
  private static final Metadata ALERT_DELIVERIES_META =
      meta(
          ALERT_DELIVERIES, "alert mails and webhook posts attempted, by channel and result", null);

  /** One caller's use of one API: the tags every call carries. */
  private record CallKey(
      String organization, String connection, String api, String application, String kind) {}

  /** The meters of one call key; one counter per outcome, made on its first use. */
  private final class CallMeters {
    final CallKey key;
    final Timer duration;
    final ConcurrentHashMap<String, Counter> byOutcome = new ConcurrentHashMap<>();

    CallMeters(CallKey key) {
      this.key = key;
      this.duration =
          registry.timer(
              CALL_DURATION_META,
              new Tag("organization", key.organization()),
              new Tag("connection", key.connection()),
              new Tag("api", key.api()),
              new Tag("application", key.application()),
              new Tag("kind", key.kind()));
    }

    Counter outcome(String outcome) {
      Counter c = byOutcome.get(outcome);
      return c != null ? c : byOutcome.computeIfAbsent(outcome, this::register);
    }

    private Counter register(String outcome) {
      return registry.counter(
          CALLS_META,
          new Tag("organization", key.organization()),
          new Tag("connection", key.connection()),
          new Tag("api", key.api()),
          new Tag("application", key.application()),
          new Tag("kind", key.kind()),
          new Tag("outcome", outcome));
    }
  }

  private record Pair(String a, String b) {}

  private final MetricRegistry registry;
  private final ConcurrentHashMap<CallKey, CallMeters> calls = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Pair, Counter> refreshes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> code = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Pair, Counter> deployments = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Pair, Counter> deliveries = new ConcurrentHashMap<>();

  /**
   * @param registry the application registry; null records nothing
   */
  public RuntimeMetrics(MetricRegistry registry) {
    this.registry = registry;
  }

  /**
   * One call that reached the engine (a request-log row): counted by outcome ({@code ok} or the
   * error code), its duration into the histogram, and whether it fetched a token.
   *
   * @param api null for calls about the connection itself (token test, auth values)
   * @param application null when a person called (Test API, token test)
   */
  public void call(
      String organization,
      String connection,
      String api,
      String application,
      String kind,
      String outcome,
      long durationMillis,
      boolean tokenRefreshed) {
    if (registry == null) {
      return;
    }
    CallKey key =
        new CallKey(
            organization,
            connection,
            api == null ? NONE_TAG : api,
            application == null ? NONE_TAG : application,
            kind);
    CallMeters m = calls.get(key);
    if (m == null) {
      m = calls.computeIfAbsent(key, CallMeters::new);
    }
    m.outcome(outcome).inc();
    m.duration.update(Duration.ofMillis(durationMillis));
    if (tokenRefreshed) {
      counter(
              refreshes,
              new Pair(organization, connection),
              TOKEN_REFRESHES_META,
              "organization",
              "connection")
          .inc();
    }
  }

  /** The time one code block ran (successful or not), by language. */
  public void codeBlock(String language, long nanos) {
    if (registry == null) {
      return;
    }
    Timer t = code.get(language);
    if (t == null) {
      t =
          code.computeIfAbsent(
              language, l -> registry.timer(CODE_DURATION_META, new Tag("language", l)));
    }
    t.update(Duration.ofNanos(nanos));
  }

  /**
   * A deployment recorded by GitOps ({@code deployed}, {@code refused}, {@code held}, ...), by its
   * source's name from conduit.git.organizations (a commit that never compiled has no organization
   * id yet).
   */
  public void deployment(String source, String result) {
    if (registry != null) {
      counter(deployments, new Pair(source, result), DEPLOYMENTS_META, "source", "result").inc();
    }
  }

  /** One alert delivery attempt: {@code sent}, {@code failed} (retried later) or {@code dead}. */
  public void alertDelivery(String channel, String result) {
    if (registry != null) {
      counter(deliveries, new Pair(channel, result), ALERT_DELIVERIES_META, "channel", "result")
          .inc();
    }
  }

  /**
   * A value read when scraped (queue depth, a count another part keeps): registered once, at start.
   */
  public void gauge(String name, String description, Supplier<Long> value) {
    if (registry != null) {
      registry.gauge(meta(name, description, null), value);
    }
  }

  private Counter counter(
      ConcurrentHashMap<Pair, Counter> meters,
      Pair key,
      Metadata meta,
      String firstTag,
      String secondTag) {
    Counter c = meters.get(key);
    return c != null
        ? c
        : meters.computeIfAbsent(
            key, k -> registry.counter(meta, new Tag(firstTag, k.a()), new Tag(secondTag, k.b())));
  }

  private static Metadata meta(String name, String description, String unit) {
    var b = Metadata.builder().withName(name).withDescription(description);
    return (unit == null ? b : b.withUnit(unit)).build();
  }
}
