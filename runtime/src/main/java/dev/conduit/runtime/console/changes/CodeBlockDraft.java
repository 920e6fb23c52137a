package dev.conduit.runtime.console.changes;

import tools.jackson.databind.JsonNode;

/**
 * A code block as the API form gives it (docs/code-blocks.md): its file under the connection's
 * folder ({@code code/NAME.js} or {@code .py}, the extension is its language), its time limit as
 * typed (null: none in the file, the compiler's default), and its source as typed.
 */
public record CodeBlockDraft(String file, JsonNode timeoutMs, String source) {}
