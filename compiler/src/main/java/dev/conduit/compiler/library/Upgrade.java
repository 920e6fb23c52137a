package dev.conduit.compiler.library;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A three-way upgrade of an installed connection: base = the installed version, theirs = the new
 * version, ours = the organization's own part (parameter values and visibility, enabled APIs, name,
 * owner...). Ours is kept; what the new version changes is shown as a semantic diff; what cannot be
 * kept without losing something is a conflict, and then nothing is written. Going to an older
 * version is refused unless asked for explicitly ({@link #downgrade}): a version typed by hand must
 * not silently undo what the installed one brought.
 */
public final class Upgrade {

  /**
   * The merged connection (null when there are conflicts), the diff, the conflicts, what to fill.
   */
  public record Result(
      ObjectNode merged, List<String> diff, List<String> conflicts, List<String> toFill) {}

  /** A downgrade that was not asked for: nothing merged, nothing written. */
  public static final class DowngradeRefused extends Exception {
    DowngradeRefused(String message) {
      super(message);
    }
  }

  private Upgrade() {}

  /**
   * Why going from {@code installed} to {@code target} is a downgrade (the target is older), or
   * empty when it is not. The one rule both surfaces follow: the CLI's {@code --allow-downgrade}
   * and the console's downgrade confirmation are the explicit requests.
   */
  public static Optional<String> downgrade(Catalog.Entry installed, Catalog.Entry target) {
    if (Versions.ORDER.compare(target.version(), installed.version()) >= 0) {
      return Optional.empty();
    }
    return Optional.of(
        target.id()
            + "@"
            + target.version()
            + " is older than the installed "
            + installed.version()
            + ": that is a downgrade");
  }

  /**
   * @param downgradeAsked whether the person asked explicitly to go to an older version
   * @throws DowngradeRefused {@code theirs} is older than {@code base} and that was not asked for
   */
  public static Result merge(
      ObjectNode ours, Catalog.Entry base, Catalog.Entry theirs, boolean downgradeAsked)
      throws DowngradeRefused {
    Optional<String> downgrade = downgrade(base, theirs);
    if (downgrade.isPresent() && !downgradeAsked) {
      throw new DowngradeRefused(downgrade.get());
    }
    List<String> diff = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    List<String> toFill = new ArrayList<>();
    Map<String, Catalog.Parameter> before = byName(base.parameters());
    Map<String, Catalog.Parameter> after = byName(theirs.parameters());
    Map<String, ObjectNode> own = new LinkedHashMap<>();
    ours.path("parameters").forEach(p -> own.put(p.path("name").asString(), (ObjectNode) p));
    if (!Objects.equals(base.authKind(), theirs.authKind())) {
      diff.add("auth: " + base.authKind() + " -> " + theirs.authKind());
    }
    for (Catalog.Parameter p : theirs.parameters()) {
      Catalog.Parameter old = before.get(p.name());
      ObjectNode mine = own.get(p.name());
      if (old == null) {
        diff.add("parameter added: " + p.name() + (p.required() ? " (required)" : ""));
        if (p.required()) {
          toFill.add(p.name());
        }
      } else if (old.hidden() != p.hidden()) {
        diff.add("parameter " + p.name() + ": " + (p.hidden() ? "now hidden" : "now visible"));
      }
      boolean hasPlain =
          mine != null && mine.hasNonNull("value") && !mine.path("value").asString("").isEmpty();
      boolean hiddenByUs = mine != null && mine.path("hidden").asBoolean(false);
      if (p.hidden() && hasPlain && !hiddenByUs) {
        conflicts.add(
            "parameter "
                + p.name()
                + " is hidden in "
                + theirs.version()
                + " but holds a plain value here: seal it first (conduit seal --connection "
                + ours.path("id").asString()
                + " --parameter "
                + p.name()
                + ")");
      }
    }
    for (String name : before.keySet()) {
      if (!after.containsKey(name)) {
        diff.add("parameter removed: " + name);
        ObjectNode mine = own.get(name);
        if (mine != null
            && (mine.hasNonNull("sealed") || !mine.path("value").asString("").isEmpty())) {
          conflicts.add(
              "parameter "
                  + name
                  + " is gone in "
                  + theirs.version()
                  + " but this connection gives it a value: remove it from connection.json to accept the loss");
        }
      }
    }
    Map<String, Catalog.Api> oldApis = apis(base);
    Map<String, Catalog.Api> newApis = apis(theirs);
    newApis.forEach(
        (id, a) -> {
          Catalog.Api o = oldApis.get(id);
          if (o == null) {
            diff.add("API added: " + id + " (" + a.name() + "), not enabled");
          } else if (!o.equals(a)) {
            diff.add("API changed: " + id + describe(o, a));
          }
        });
    Set<String> enabled = new LinkedHashSet<>();
    ours.path("enabledApis").forEach(n -> enabled.add(n.asString()));
    for (String id : oldApis.keySet()) {
      if (!newApis.containsKey(id)) {
        diff.add("API removed: " + id);
        if (enabled.contains(id)) {
          conflicts.add(
              "API "
                  + id
                  + " is gone in "
                  + theirs.version()
                  + " but this connection enables it: remove it from enabledApis (and from applications' uses) first");
        }
      }
    }
    if (!conflicts.isEmpty()) {
      return new Result(null, diff, conflicts, toFill);
    }
    ObjectNode merged = ours.deepCopy();
    ((ObjectNode) merged.get("installedFrom")).put("version", theirs.version());
    ArrayNode params =
        merged.has("parameters")
            ? (ArrayNode) merged.get("parameters")
            : merged.putArray("parameters");
    for (String name : toFill) {
      if (!own.containsKey(name)) {
        ObjectNode p = params.addObject().put("name", name);
        if (after.get(name).hidden()) {
          p.put("hidden", true);
        }
      }
    }
    return new Result(merged, diff, conflicts, toFill);
  }

  private static String describe(Catalog.Api o, Catalog.Api a) {
    List<String> parts = new ArrayList<>();
    if (!o.method().equals(a.method()) || !o.url().equals(a.url())) {
      parts.add(o.method() + " " + o.url() + " -> " + a.method() + " " + a.url());
    }
    if (!o.name().equals(a.name())) {
      parts.add("name \"" + o.name() + "\" -> \"" + a.name() + "\"");
    }
    for (String key :
        new String[] {"description", "inputs", "request", "outputs", "before", "after", "status"}) {
      if (!Objects.equals(o.definition().get(key), a.definition().get(key))
          && !(key.equals("request") && parts.size() > 0)) {
        parts.add(key + " changed");
      }
    }
    return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
  }

  private static Map<String, Catalog.Parameter> byName(List<Catalog.Parameter> list) {
    Map<String, Catalog.Parameter> m = new LinkedHashMap<>();
    list.forEach(p -> m.put(p.name(), p));
    return m;
  }

  private static Map<String, Catalog.Api> apis(Catalog.Entry e) {
    Map<String, Catalog.Api> m = new LinkedHashMap<>();
    e.apis().forEach(a -> m.put(a.id(), a));
    return m;
  }
}
