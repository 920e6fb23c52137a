package dev.conduit.runtime.console.changes;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** The repository at the commit a change starts from, as a {@link TreeChange} reads it. */
public interface BaseTree {

  /** The JSON object at this path, when the file exists (refused when it is not an object). */
  Optional<ObjectNode> json(String path) throws ChangeBranches.Refused;

  /** The text (UTF-8) of the file at this path, when it exists: a code block's source. */
  Optional<String> text(String path) throws ChangeBranches.Refused;

  /** The paths of the files directly in this folder (no trailing slash), sorted. */
  List<String> paths(String folder) throws ChangeBranches.Refused;

  /** organization.json (a copy): its id and sealing public key. */
  ObjectNode organization();
}
