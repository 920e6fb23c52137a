package dev.conduit.runtime.console.changes;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An API's code blocks written as the form gives them: the {@code before} and {@code after} entries
 * of the API file (file and time limit; the shared files stay as the file had them), each block's
 * source in its code file, and the removal of a code file that no block of the connection uses any
 * more. The code is only written: nothing here runs it, the compiler's checks parse it.
 */
final class CodeBlockFiles {
  private CodeBlockFiles() {}

  /** The API file's code block keys, in the schema's order. */
  static final List<String> SLOTS = List.of("before", "after");

  /**
   * Sets the API's blocks to {@code blocks} (a slot without a draft has no block) and adds the code
   * files to write or remove to {@code files}.
   */
  static void apply(
      BaseTree base,
      String connectionId,
      String apiFile,
      ObjectNode api,
      Map<String, CodeBlockDraft> blocks,
      Map<String, byte[]> files)
      throws ChangeBranches.Refused {
    String folder = "connections/" + connectionId + "/";
    Set<String> usedBefore = codeFiles(api);
    Map<String, String> written = new LinkedHashMap<>();
    for (String slot : SLOTS) {
      CodeBlockDraft d = blocks.get(slot);
      JsonNode old = api.get(slot);
      if (d == null) {
        api.remove(slot);
        continue;
      }
      String oldFile = old == null ? null : old.path("file").asString(null);
      ObjectNode entry = old instanceof ObjectNode o ? o : placed(api, slot);
      entry.put("file", d.file());
      if (d.timeoutMs() == null) {
        entry.remove("timeoutMs");
      } else {
        entry.set("timeoutMs", d.timeoutMs());
      }
      String path = folder + d.file();
      Optional<String> existing = base.text(path);
      String source = newlinesLike(existing.orElse(null), d.source());
      if (written.containsKey(path) && !written.get(path).equals(source)) {
        throw new ChangeBranches.Refused(
            "the before block's file is " + d.file() + " too, with other code: choose another name",
            false,
            slot + ".file");
      }
      if (!d.file().equals(oldFile)
          && existing.isPresent()
          && !existing.get().equals(source)
          && !written.containsKey(path)) {
        throw new ChangeBranches.Refused(
            d.file()
                + " already exists with other code (another block's?): choose another name, or"
                + " give it the same code to share it",
            false,
            slot + ".file");
      }
      written.put(path, source);
      if (existing.isPresent() || !source.isEmpty()) { // a missing file left missing: C215 says so
        files.put(path, source.getBytes(StandardCharsets.UTF_8));
      }
    }
    Set<String> usedAfter = codeFiles(api);
    for (String file : usedBefore) {
      if (!usedAfter.contains(file) && !usedByAnotherApi(base, folder, apiFile, file)) {
        files.put(folder + file, null); // no block uses it any more
      }
    }
  }

  /**
   * A browser sends a textarea's lines ended by CR LF: a file whose lines end in LF keeps LF (an
   * untouched block keeps its bytes), one written with CR LF keeps CR LF.
   */
  static String newlinesLike(String existing, String posted) {
    String lf = posted.replace("\r\n", "\n");
    return existing != null && existing.contains("\r\n") ? lf.replace("\n", "\r\n") : lf;
  }

  /** A block new to the API, placed where the schema lists it: before the request, after it. */
  private static ObjectNode placed(ObjectNode api, String slot) {
    Map<String, JsonNode> keys = new LinkedHashMap<>();
    ObjectNode entry = api.objectNode();
    boolean done = false;
    for (var e : api.properties()) {
      if (!done && slot.equals("before") && e.getKey().equals("request")) {
        keys.put(slot, entry);
        done = true;
      }
      keys.put(e.getKey(), e.getValue());
      if (!done && slot.equals("after") && e.getKey().equals("request")) {
        keys.put(slot, entry);
        done = true;
      }
    }
    if (!done) {
      keys.put(slot, entry);
    }
    api.removeAll();
    keys.forEach(api::set);
    return entry;
  }

  /** The code files (relative to the connection's folder) an API file's blocks name. */
  private static Set<String> codeFiles(JsonNode api) {
    Set<String> files = new LinkedHashSet<>();
    for (String slot : SLOTS) {
      JsonNode b = api.path(slot);
      if (b.hasNonNull("file")) {
        files.add(b.get("file").asString(""));
      }
      for (JsonNode shared : b.path("shared")) {
        files.add(shared.asString(""));
      }
    }
    return files;
  }

  private static boolean usedByAnotherApi(BaseTree base, String folder, String apiFile, String file)
      throws ChangeBranches.Refused {
    for (String path : base.paths(folder + "apis")) {
      if (path.endsWith(".json") && !path.equals(apiFile)) {
        Optional<ObjectNode> other;
        try {
          other = base.json(path);
        } catch (ChangeBranches.Refused unreadable) {
          return true; // an API file that is not JSON may name it: keep the file
        }
        if (other.isPresent() && codeFiles(other.get()).contains(file)) {
          return true;
        }
      }
    }
    return false;
  }
}
