package dev.conduit.compiler.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Prints a diff as markdown (a pull-request comment) or JSON (for tools). */
public final class DiffReport {

  private static final Map<String, String> AREAS = new LinkedHashMap<>();

  static {
    AREAS.put("organization", "Organization");
    AREAS.put("connections", "Connections");
    AREAS.put("apis", "APIs");
    AREAS.put("grants", "Grants");
    AREAS.put("applications", "Applications");
    AREAS.put("third-party-apps", "Third-party applications");
    AREAS.put("members", "Members");
    AREAS.put("library", "Organization library entries (and the installs each change reaches)");
    AREAS.put(
        "public-library", "Public library entry versions (and the installs each change reaches)");
  }

  private DiffReport() {}

  public static String markdown(
      List<Change> changes, String base, String head, List<String> headErrors) {
    StringBuilder md = new StringBuilder();
    md.append("## Conduit: what this change does\n\n");
    md.append("`").append(base).append("` → `").append(head).append("`\n\n");
    if (!headErrors.isEmpty()) {
      md.append("> **The head does not validate** (")
          .append(headErrors.size())
          .append(
              " errors): run `conduit validate`. The diff below covers what could be resolved.\n\n");
    }
    if (changes.isEmpty()) {
      md.append("No changes to connections, APIs, grants, applications or library entries.\n");
      return md.toString();
    }
    List<Change> breaking = changes.stream().filter(Change::isBreaking).toList();
    md.append("**")
        .append(changes.size())
        .append(changes.size() == 1 ? " change" : " changes")
        .append("**");
    if (!breaking.isEmpty()) {
      md.append(", **").append(breaking.size()).append(" breaking**");
    }
    md.append("\n\n");
    if (!breaking.isEmpty()) {
      md.append("### ⚠️ Breaking changes\n\n");
      for (Change c : breaking) {
        md.append("- **")
            .append(c.area().equals("apis") ? "API " : "")
            .append('`')
            .append(c.subject())
            .append("`**: ")
            .append(c.breaking())
            .append('\n');
        for (String u : c.usedBy()) {
          md.append("  - used by ").append(u).append('\n');
        }
      }
      md.append('\n');
    }
    for (Map.Entry<String, String> area : AREAS.entrySet()) {
      List<Change> in = changes.stream().filter(c -> c.area().equals(area.getKey())).toList();
      if (in.isEmpty()) {
        continue;
      }
      md.append("### ").append(area.getValue()).append("\n\n");
      for (Change c : in) {
        String mark =
            switch (c.kind()) {
              case added -> "➕ added";
              case removed -> "➖ removed";
              case changed -> "✏️ changed";
            };
        md.append("- ").append(mark).append(" `").append(c.subject()).append('`');
        if (c.details().size() == 1 && c.kind() != Change.Kind.changed) {
          md.append(": ").append(c.details().getFirst()).append('\n');
        } else {
          md.append('\n');
          for (String d : c.details()) {
            md.append("  - ").append(d).append('\n');
          }
        }
      }
      md.append('\n');
    }
    return md.toString();
  }

  public static String json(
      List<Change> changes, String base, String head, List<String> headErrors) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Change c : changes) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", c.kind().name());
      m.put("area", c.area());
      m.put("subject", c.subject());
      m.put("details", c.details());
      m.put("breaking", c.isBreaking());
      if (c.isBreaking()) {
        m.put("reason", c.breaking());
        m.put("usedBy", c.usedBy());
      }
      list.add(m);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("base", base);
    doc.put("head", head);
    doc.put("headValid", headErrors.isEmpty());
    doc.put("breaking", changes.stream().filter(Change::isBreaking).count());
    doc.put("changes", list);
    return JsonMapper.builder()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build()
        .writeValueAsString(doc);
  }
}
