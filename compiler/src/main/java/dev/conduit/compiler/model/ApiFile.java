package dev.conduit.compiler.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** connections/&lt;connection&gt;/apis/&lt;id&gt;.json */
@JsonIgnoreProperties("$schema")
public record ApiFile(
    String id,
    String name,
    String description,
    String icon,
    String color,
    String status,
    Boolean enabled,
    List<InputEntry> inputs,
    CodeBlockEntry before,
    RequestEntry request,
    CodeBlockEntry after,
    List<OutputEntry> outputs) {

  public List<InputEntry> inputsOrEmpty() {
    return inputs == null ? List.of() : inputs;
  }

  public List<OutputEntry> outputsOrEmpty() {
    return outputs == null ? List.of() : outputs;
  }

  /** An input parameter or object-array sub-element. */
  public record InputEntry(
      String alias,
      String name,
      String description,
      String type,
      Boolean required,
      @JsonProperty("default") JsonNode defaultValue,
      List<InputEntry> fields) {
    public boolean isRequired() {
      return Boolean.TRUE.equals(required);
    }

    public List<InputEntry> fieldsOrEmpty() {
      return fields == null ? List.of() : fields;
    }
  }

  /**
   * A code block reference.
   *
   * @param shared code files whose functions the block calls, appended after it (may be null)
   */
  public record CodeBlockEntry(String file, List<String> shared, Integer timeoutMs) {
    public List<String> sharedOrEmpty() {
      return shared == null ? List.of() : shared;
    }
  }

  /**
   * The request template.
   *
   * @param body kept as JSON: its shape depends on its type
   */
  public record RequestEntry(
      String method,
      String url,
      Map<String, String> query,
      Map<String, String> headers,
      JsonNode body,
      Integer timeoutSeconds) {}

  /** An output parameter or object-array field. */
  public record OutputEntry(
      String alias,
      String name,
      String description,
      String path,
      String type,
      List<OutputEntry> fields) {
    public List<OutputEntry> fieldsOrEmpty() {
      return fields == null ? List.of() : fields;
    }
  }
}
