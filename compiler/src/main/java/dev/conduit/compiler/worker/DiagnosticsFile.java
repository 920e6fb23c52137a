package dev.conduit.compiler.worker;

import dev.conduit.compiler.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The diagnostics a compile worker hands back to the runtime: the compiler's records as JSON, one
 * format for the writer (the worker) and the reader (the server).
 */
public final class DiagnosticsFile {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private DiagnosticsFile() {}

  public static byte[] write(List<Diagnostic> diagnostics) {
    return JSON.writeValueAsBytes(diagnostics);
  }

  public static List<Diagnostic> read(Path file) throws IOException {
    try {
      return List.copyOf(JSON.readValue(file.toFile(), new TypeReference<List<Diagnostic>>() {}));
    } catch (JacksonException e) {
      throw new IOException(
          file.getFileName() + " is not a list of diagnostics: " + e.getMessage());
    }
  }
}
