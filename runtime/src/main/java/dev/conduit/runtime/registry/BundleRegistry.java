package dev.conduit.runtime.registry;

import dev.conduit.bundle.Application;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.bundle.BundleException;
import dev.conduit.bundle.Connection;
import dev.conduit.bundle.Member;
import dev.conduit.bundle.ThirdPartyApp;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.seal.Opener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The bundles this runtime serves, one per organization, each from a configured path. A bundle that
 * fails to load as a whole (unreadable, tampered, sealed to another runtime key, an app key another
 * organization uses) is refused with its reason, and the last good bundle of that path keeps
 * serving. A connection that cannot be prepared (a secret that does not open, a template or
 * JSONPath the runtime rejects) is marked unavailable with its reason, and the rest of the bundle
 * serves.
 */
public final class BundleRegistry {

  private static final Logger LOG = Logger.getLogger(BundleRegistry.class.getName());

  /** What a configured path serves and what went wrong last. */
  public record PathState(
      String path, LoadedOrganization current, String lastError, Instant lastErrorAt) {}

  private final Opener opener;
  private final Clock clock;
  private final PrivateNetworkRule privateNetwork;
  private final Map<String, PathState> byPath = new ConcurrentHashMap<>();
  private final Set<String> installed = ConcurrentHashMap.newKeySet();
  private volatile Map<String, LoadedOrganization> byOrganization = Map.of();
  private volatile Map<String, Hit> byApplicationKey = Map.of();
  private volatile Map<String, ClientHit> byAppKey = Map.of();

  /** An application found by its key. */
  public record Hit(LoadedOrganization organization, Application application) {}

  /** A third-party application found by its app_key. */
  public record ClientHit(LoadedOrganization organization, ThirdPartyApp app) {}

  /**
   * @param privateNetwork which organizations' connections may reach private addresses
   */
  public BundleRegistry(Opener opener, Clock clock, PrivateNetworkRule privateNetwork) {
    this.opener = opener;
    this.clock = clock;
    this.privateNetwork = privateNetwork;
  }

  /** Loads every configured path (at start). */
  public synchronized void loadAll(Collection<String> paths) {
    for (String p : paths) {
      load(p.strip());
    }
  }

  /** Reloads an organization's bundle from its path; the outcome is in the returned state. */
  public synchronized Optional<PathState> reload(String organizationId) {
    LoadedOrganization org = byOrganization.get(organizationId);
    if (org == null) {
      return Optional.empty();
    }
    if (installed.contains(org.path())) {
      // not a file: its source (gitops/) decides what it serves; nothing to read again here
      return Optional.of(byPath.get(org.path()));
    }
    return Optional.of(load(org.path()));
  }

  /**
   * Serves a bundle that did not come from a file (gitops/: compiled in-process from a commit)
   * under a source name such as "git:acme", with the same checks and the same refusal rule as a
   * file: a refused bundle leaves the last good one of that source serving.
   */
  public synchronized PathState install(String source, Bundle bundle) {
    installed.add(source);
    return load(source, serving -> bundle);
  }

  /** Stops serving a source (an organization removed from the configuration). */
  public synchronized void remove(String source) {
    installed.remove(source);
    if (byPath.remove(source) != null) {
      LOG.info("stopped serving " + source + ": no longer configured");
      reindex();
    }
  }

  /** The state of one source (a bundle path, or a name given to {@link #install}). */
  public Optional<PathState> state(String source) {
    return Optional.ofNullable(byPath.get(source));
  }

  /** Where a bundle comes from: its file, or a bundle already in memory. */
  @FunctionalInterface
  private interface BundleSource {
    /**
     * @param serving the bundle the path serves now (a read shares its unchanged parts), or null
     */
    Bundle get(Bundle serving) throws LoadException;
  }

  private PathState load(String path) {
    return load(path, serving -> read(path, serving));
  }

  private PathState load(String path, BundleSource source) {
    PathState before = byPath.get(path);
    LoadedOrganization current = before == null ? null : before.current();
    try {
      LoadedOrganization loaded =
          prepare(path, source.get(current == null ? null : current.bundle()), current);
      checkConflicts(loaded, current);
      PathState ok = new PathState(path, loaded, null, null);
      byPath.put(path, ok);
      LOG.info(
          "serving organization "
              + loaded.id()
              + " ("
              + loaded.bundle().organization().name()
              + ") from "
              + path
              + ", content "
              + loaded.bundle().source().contentHash()
              + (loaded.bundle().source().commit() == null
                  ? ""
                  : ", commit " + loaded.bundle().source().commit()));
      reindex();
      return ok;
    } catch (LoadException e) {
      PathState failed = new PathState(path, current, e.getMessage(), clock.instant());
      byPath.put(path, failed);
      LOG.warning(
          "refused the bundle "
              + path
              + ": "
              + e.getMessage()
              + (current == null
                  ? ""
                  : " (still serving the one loaded at " + current.loadedAt() + ")"));
      reindex();
      return failed;
    }
  }

  private static final class LoadException extends Exception {
    LoadException(String message) {
      super(message);
    }
  }

  /** Reads a bundle file, sharing the parts it has in common with {@code serving} (null: none). */
  private static Bundle read(String path, Bundle serving) throws LoadException {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      return BundleCodec.read(in, serving);
    } catch (NoSuchFileException e) {
      throw new LoadException("no bundle at " + path + " (compile one with conduit compile)");
    } catch (IOException e) {
      throw new LoadException("cannot read " + path + ": " + e.getMessage());
    } catch (BundleException e) {
      throw new LoadException(e.getMessage());
    }
  }

  /**
   * @param previous what the path serves now: its connections that did not change are reused as
   *     they are (a commit that changes one API of 10,000 opens no secret and parses no template
   *     again); a prepared connection depends only on its organization, the connection and this
   *     registry's key
   */
  private LoadedOrganization prepare(String path, Bundle bundle, LoadedOrganization previous)
      throws LoadException {
    String orgId = bundle.organization().id();
    boolean sealed =
        bundle.connections().stream()
            .flatMap(c -> c.parameters().stream())
            .anyMatch(p -> p.sealed() != null);
    if (sealed && opener == null) {
      throw new LoadException(
          "the bundle has sealed parameters, but the runtime has no private key (conduit.sealing.private-key)");
    }
    if (sealed
        && bundle.organization().sealingKeyId() != null
        && !bundle.organization().sealingKeyId().equals(opener.keyId())) {
      throw new LoadException(
          "the bundle is sealed to key "
              + bundle.organization().sealingKeyId()
              + ", but this runtime holds key "
              + opener.keyId());
    }
    Map<String, PreparedConnection> connections = new LinkedHashMap<>();
    Map<String, String> unavailable = new LinkedHashMap<>();
    Map<String, PreparedConnection> before =
        previous != null && previous.id().equals(orgId) ? previous.connections() : Map.of();
    for (Connection c : bundle.connections()) {
      PreparedConnection same = before.get(c.id());
      if (same != null && same.connection().equals(c)) {
        connections.put(c.id(), same);
        continue;
      }
      try {
        connections.put(c.id(), PreparedConnection.prepare(orgId, c, opener, privateNetwork));
      } catch (PreparedConnection.PrepareException e) {
        // one connection's problem is its own: the rest of the bundle serves (docs/runtime.md)
        unavailable.put(c.id(), e.getMessage());
        LOG.warning(
            "organization "
                + orgId
                + ": "
                + e.getMessage()
                + "; the connection is unavailable until a bundle that fixes it is loaded");
      }
    }
    Map<String, Application> apps = new LinkedHashMap<>();
    bundle.applications().forEach(a -> apps.put(a.credential().key(), a));
    Map<String, Member> members = new LinkedHashMap<>();
    bundle.members().forEach(m -> members.put(m.login(), m));
    return new LoadedOrganization(
        bundle,
        path,
        clock.instant(),
        Map.copyOf(connections),
        Collections.unmodifiableMap(unavailable),
        Map.copyOf(apps),
        Map.copyOf(members));
  }

  /** Organization ids, application keys and app_keys must be unique across the runtime. */
  private void checkConflicts(LoadedOrganization loaded, LoadedOrganization replacing)
      throws LoadException {
    for (PathState s : byPath.values()) {
      LoadedOrganization other = s.current();
      if (other == null || other == replacing || s.path().equals(loaded.path())) {
        continue;
      }
      if (other.id().equals(loaded.id())) {
        throw new LoadException(
            "organization " + loaded.id() + " is already served from " + other.path());
      }
      for (String key : loaded.applicationsByKey().keySet()) {
        if (other.applicationsByKey().containsKey(key)) {
          throw new LoadException(
              "the application key " + key + " is also used by organization " + other.id());
        }
      }
      for (ThirdPartyApp t : loaded.bundle().thirdPartyApps()) {
        if (other.bundle().thirdPartyApps().stream().anyMatch(o -> o.appKey().equals(t.appKey()))) {
          throw new LoadException(
              "the app_key " + t.appKey() + " is also used by organization " + other.id());
        }
      }
    }
  }

  private void reindex() {
    Map<String, LoadedOrganization> orgs = new LinkedHashMap<>();
    Map<String, Hit> apps = new ConcurrentHashMap<>();
    Map<String, ClientHit> clients = new ConcurrentHashMap<>();
    for (PathState s : byPath.values()) {
      LoadedOrganization o = s.current();
      if (o == null) {
        continue;
      }
      orgs.put(o.id(), o);
      o.applicationsByKey().forEach((k, a) -> apps.put(k, new Hit(o, a)));
      o.bundle().thirdPartyApps().forEach(t -> clients.put(t.appKey(), new ClientHit(o, t)));
    }
    byOrganization = Map.copyOf(orgs);
    byApplicationKey = Map.copyOf(apps);
    byAppKey = Map.copyOf(clients);
  }

  public Optional<LoadedOrganization> organization(String id) {
    return Optional.ofNullable(byOrganization.get(id));
  }

  public Optional<Hit> application(String key) {
    return Optional.ofNullable(byApplicationKey.get(key));
  }

  public Optional<ClientHit> client(String appKey) {
    return Optional.ofNullable(byAppKey.get(appKey));
  }

  public Collection<LoadedOrganization> organizations() {
    return byOrganization.values();
  }

  public List<PathState> states() {
    return new ArrayList<>(byPath.values());
  }

  public boolean anyLoaded() {
    return !byOrganization.isEmpty();
  }
}
