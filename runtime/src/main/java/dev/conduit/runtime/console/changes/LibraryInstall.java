package dev.conduit.runtime.console.changes;

import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.Installer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A library entry installed from the console, from the public library or the organization's own:
 * the connection.json the CLI's {@code conduit library install} writes ({@link
 * Installer#connection}, the one source of truth), with the installer as its owner and the
 * parameters filled in. A hidden value is sealed with the organization's public key of the base
 * commit, bound to its place; the plaintext goes nowhere. After {@link #files}, {@link #sealed()}
 * holds the sealed values, so a confirmation form can carry them instead of the plaintext.
 *
 * @param grants the applications that get the new connection's APIs: its grants.json, each granted
 *     by the installer (none: no grants file, as {@code conduit library install})
 * @param visible parameter name to its text
 * @param hidden parameter name to a plaintext value, sealed here
 * @param sealed parameter name to a value sealed before (by a preview), kept when bound to its
 *     place
 * @param library {@link Installer#PUBLIC} or {@link Installer#ORGANIZATION} (whose entry must be at
 *     the same version in the commit the change starts from)
 */
public record LibraryInstall(
    String organizationId,
    Catalog.Entry entry,
    String connectionId,
    List<String> apis,
    List<String> grants,
    String owner,
    Map<String, String> visible,
    Map<String, String> hidden,
    Map<String, String> sealed,
    String library) {

  /** An install from the public library. */
  public LibraryInstall(
      String organizationId,
      Catalog.Entry entry,
      String connectionId,
      List<String> apis,
      List<String> grants,
      String owner,
      Map<String, String> visible,
      Map<String, String> hidden,
      Map<String, String> sealed) {
    this(
        organizationId,
        entry,
        connectionId,
        apis,
        grants,
        owner,
        visible,
        hidden,
        sealed,
        Installer.PUBLIC);
  }

  public LibraryInstall {
    apis = List.copyOf(apis);
    grants = List.copyOf(grants);
    visible = Map.copyOf(visible);
    hidden = Map.copyOf(hidden);
    sealed = new LinkedHashMap<>(sealed);
  }

  /** The place a sealed value of this install must be bound to. */
  public String sealedPrefix(String parameter) {
    return "sealed:v2:" + organizationId + "/" + connectionId + "/" + parameter + ":";
  }

  /** The change to commit. */
  public TreeChange change() {
    return new TreeChange() {
      @Override
      public Map<String, byte[]> files(BaseTree base) throws ChangeBranches.Refused {
        String path = "connections/" + connectionId + "/connection.json";
        if (Installer.ORGANIZATION.equals(library)) {
          sameVersionAt(base);
        }
        ObjectNode connection;
        try {
          connection = Installer.connection(entry, connectionId, apis, library);
        } catch (IllegalArgumentException e) {
          throw new ChangeBranches.Refused(e.getMessage(), false);
        }
        if (owner != null) {
          connection.put("owner", owner);
        }
        for (JsonNode p : connection.path("parameters")) {
          ObjectNode param = (ObjectNode) p;
          String name = param.path("name").asString("");
          if (param.path("hidden").asBoolean(false)) {
            String given = hidden.get(name);
            if (given != null && !given.isEmpty()) {
              sealed.put(
                  name,
                  ChangeBranches.seal(
                      base.organization(), organizationId, connectionId, name, given));
            }
            String value = sealed.get(name);
            if (value != null && !value.startsWith(sealedPrefix(name))) {
              throw new ChangeBranches.Refused(
                  "the sealed value of " + name + " is not bound to this install: fill it again",
                  false);
            }
            if (value != null) {
              param.put("sealed", value);
            }
          } else if (visible.get(name) != null && !visible.get(name).isEmpty()) {
            param.put("value", visible.get(name));
          }
        }
        String grantsPath = "connections/" + connectionId + "/grants.json";
        ObjectNode g = null;
        if (!grants.isEmpty()) {
          g = connection.objectNode();
          g.put("$schema", "../../../schemas/grants.schema.json");
          var applications = g.putArray("applications");
          grants.forEach(
              a -> applications.addObject().put("application", a).put("grantedBy", owner));
        }
        Optional<ObjectNode> there = base.json(path);
        if (there.isPresent()) {
          // the same install again writes the same files: "No changes" (ChangeBranches.Unchanged);
          // any other install would replace a connection, which an install never does
          if (!there.get().equals(connection)
              || !base.json(grantsPath).equals(Optional.ofNullable(g))) {
            throw new ChangeBranches.Refused(
                "connections/" + connectionId + " exists already in the repository", false, "id");
          }
        }
        return g == null
            ? Map.of(path, ChangeBranches.text(connection))
            : Map.of(path, ChangeBranches.text(connection), grantsPath, ChangeBranches.text(g));
      }

      @Override
      public String message() {
        return connectionId
            + ": install "
            + entry.id()
            + "@"
            + entry.version()
            + (Installer.ORGANIZATION.equals(library)
                ? " from the organization's library"
                : " from the public library")
            + " (APIs: "
            + String.join(", ", apis.isEmpty() ? List.of("all") : apis)
            + (grants.isEmpty() ? "" : "; granted to " + String.join(", ", grants))
            + ")\n\nMade in the Conduit console by "
            + owner
            + ".\n";
      }
    };
  }

  /**
   * An organization entry is installed at the version the page showed: when the repository's
   * library/ENTRY/library.json has moved on since (or the entry is gone), the page is stale.
   */
  private void sameVersionAt(BaseTree base) throws ChangeBranches.Refused {
    String manifest = "library/" + entry.id() + "/library.json";
    String now =
        base.json(manifest).map(m -> m.path("version").asString("")).orElse("(no such entry)");
    if (!now.equals(entry.version())) {
      throw new ChangeBranches.Refused(
          "the organization's library has "
              + entry.id()
              + " at "
              + now
              + " now ("
              + manifest
              + "), the page showed "
              + entry.version()
              + ": open the page again; nothing was changed",
          true);
    }
  }

  /** Never prints a hidden value. */
  @Override
  public String toString() {
    return "LibraryInstall["
        + entry.id()
        + "@"
        + entry.version()
        + " as "
        + connectionId
        + ", visible="
        + visible.keySet()
        + ", hidden="
        + hidden.keySet()
        + "]";
  }
}
