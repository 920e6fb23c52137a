package dev.conduit.runtime.console.changes;

import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.Upgrade;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A connection installed from the public library, upgraded from the console: the three-way merge of
 * the CLI's {@code conduit library upgrade} ({@link Upgrade#merge}, the one source of truth) on the
 * connection.json of the base commit. After {@link TreeChange#files}, {@link #result()} and {@link
 * #localChanges()} describe it; conflicts refuse the change and write nothing, and so does an older
 * target that was not confirmed as a downgrade (the rule is {@link Upgrade#downgrade}'s).
 */
public final class LibraryUpgrade implements TreeChange {

  private final String connectionId;
  private final Catalog.Entry installed;
  private final Catalog.Entry target;
  private final String login;
  private final boolean downgradeAsked;
  private Upgrade.Result result;
  private List<String> localChanges = List.of();

  /**
   * @param installed the version the connection is installed from (the merge's base)
   * @param target the version to upgrade to (theirs)
   * @param downgradeAsked whether the person confirmed going to an older {@code target}
   */
  public LibraryUpgrade(
      String connectionId,
      Catalog.Entry installed,
      Catalog.Entry target,
      String login,
      boolean downgradeAsked) {
    this.connectionId = connectionId;
    this.installed = installed;
    this.target = target;
    this.login = login;
    this.downgradeAsked = downgradeAsked;
  }

  /** Whether the target is older than the installed version (a confirmed downgrade). */
  public boolean downgrade() {
    return Upgrade.downgrade(installed, target).isPresent();
  }

  /** The version upgraded to. */
  public String targetVersion() {
    return target.version();
  }

  /** The merge's outcome (null before {@link #files}). */
  public Upgrade.Result result() {
    return result;
  }

  /** What this organization changed of the installed version: kept by the upgrade. */
  public List<String> localChanges() {
    return localChanges;
  }

  @Override
  public Map<String, byte[]> files(BaseTree base) throws ChangeBranches.Refused {
    String path = "connections/" + connectionId + "/connection.json";
    ObjectNode ours =
        base.json(path)
            .orElseThrow(() -> new ChangeBranches.Refused("the repository has no " + path, false));
    JsonNode from = ours.path("installedFrom");
    if (!"public".equals(from.path("library").asString(""))
        || !installed.id().equals(from.path("entry").asString(""))
        || !installed.version().equals(from.path("version").asString(""))) {
      throw new ChangeBranches.Refused(
          path
              + " is no longer installed from "
              + installed.id()
              + "@"
              + installed.version()
              + " of the public library: open the page again",
          true);
    }
    localChanges = local(ours, installed);
    try {
      result = Upgrade.merge(ours, installed, target, downgradeAsked);
    } catch (Upgrade.DowngradeRefused e) {
      throw new ChangeBranches.Refused(
          e.getMessage() + ": confirm the downgrade to make it", false);
    }
    if (!result.conflicts().isEmpty()) {
      throw new ChangeBranches.Refused(
          result.conflicts().size() + " conflicts: nothing can be proposed", false);
    }
    return Map.of(path, ChangeBranches.text(result.merged()));
  }

  @Override
  public String message() {
    return connectionId
        + (downgrade() ? ": downgrade " : ": upgrade ")
        + installed.id()
        + " "
        + installed.version()
        + " -> "
        + target.version()
        + "\n\n"
        + (result == null ? "" : String.join("\n", result.diff()) + "\n\n")
        + "Made in the Conduit console by "
        + login
        + ".\n";
  }

  /**
   * The third side of the diff: what the connection holds beyond a fresh install of the version it
   * came from (values, sealed values, visibility, a subset of APIs, name, owner, notifications).
   */
  static List<String> local(ObjectNode ours, Catalog.Entry installed) {
    List<String> out = new ArrayList<>();
    if (!installed.name().equals(ours.path("name").asString(installed.name()))) {
      out.add(
          "name \"" + ours.path("name").asString() + "\" (the entry's: " + installed.name() + ")");
    }
    if (ours.hasNonNull("owner")) {
      out.add("owner " + ours.path("owner").asString());
    }
    if (ours.has("notifications")) {
      out.add("error notifications set");
    }
    Set<String> hiddenInEntry = new TreeSet<>();
    installed.parameters().stream()
        .filter(Catalog.Parameter::hidden)
        .forEach(p -> hiddenInEntry.add(p.name()));
    for (JsonNode p : ours.path("parameters")) {
      String name = p.path("name").asString("");
      if (p.hasNonNull("sealed")) {
        out.add("parameter " + name + ": a sealed value");
      } else if (!p.path("value").asString("").isEmpty() || p.path("value").isNumber()) {
        out.add("parameter " + name + ": a value");
      }
      if (p.path("hidden").asBoolean(false) && !hiddenInEntry.contains(name)) {
        out.add("parameter " + name + ": hidden here");
      }
    }
    List<String> enabled = new ArrayList<>();
    ours.path("enabledApis").forEach(a -> enabled.add(a.asString()));
    if (enabled.size() < installed.apis().size()) {
      out.add(
          "APIs enabled: "
              + (enabled.isEmpty() ? "none" : String.join(", ", enabled))
              + " (of "
              + installed.apis().size()
              + ")");
    }
    return out;
  }
}
