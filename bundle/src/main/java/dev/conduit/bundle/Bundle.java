package dev.conduit.bundle;

import java.util.List;
import java.util.Optional;

/**
 * One organization's compiled repository, as the runtime serves it.
 *
 * @param format the bundle format version, {@link #FORMAT}; the runtime refuses others
 * @param source where the bundle came from and the hash of its content
 * @param organization the organization (HAP's project)
 * @param members the organization's directory
 * @param connections every connection, installed ones expanded from their library entry
 * @param applications the internal applications that may invoke APIs
 * @param thirdPartyApps the OAuth clients of the identity provider
 * @param library the organization library's entries (manifests only; installs are expanded)
 */
public record Bundle(
    String format,
    Source source,
    Organization organization,
    List<Member> members,
    List<Connection> connections,
    List<Application> applications,
    List<ThirdPartyApp> thirdPartyApps,
    List<LibraryEntry> library) {

  /** The format this code reads and writes. Bump it on any change a runtime could misread. */
  public static final String FORMAT = "conduit.bundle/1";

  public Bundle {
    members = List.copyOf(members);
    connections = List.copyOf(connections);
    applications = List.copyOf(applications);
    thirdPartyApps = List.copyOf(thirdPartyApps);
    library = List.copyOf(library);
  }

  public Optional<Connection> connection(String id) {
    return connections.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  public Optional<Application> application(String id) {
    return applications.stream().filter(a -> a.id().equals(id)).findFirst();
  }

  public Optional<Member> member(String login) {
    return members.stream().filter(m -> m.login().equals(login)).findFirst();
  }

  /** Returns this bundle with another source (the codec uses it to compute the content hash). */
  public Bundle withSource(Source newSource) {
    return new Bundle(
        format,
        newSource,
        organization,
        members,
        connections,
        applications,
        thirdPartyApps,
        library);
  }

  /**
   * Where a bundle came from.
   *
   * @param commit the Git commit compiled, or null when compiled from a plain directory
   * @param contentHash {@code sha256:<hex>} of the bundle's bytes with {@code source} left out, so
   *     the same content has the same hash whatever commit it came from
   */
  public record Source(String commit, String contentHash) {}
}
