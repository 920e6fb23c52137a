package dev.conduit.bundle;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * A resolved API: inputs, the request template, code blocks and outputs. Defaults of the file
 * format are filled in, so the runtime never guesses.
 */
public record Api(
    String id,
    String name,
    String description,
    String icon,
    String color,
    Status status,
    boolean enabled,
    List<Input> inputs,
    CodeBlock before,
    Request request,
    CodeBlock after,
    List<Output> outputs) {

  public Api {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** Whether applications may invoke it (Test API runs any API). */
  public boolean invocable() {
    return status == Status.published && enabled;
  }

  public enum Status {
    draft,
    published
  }

  /** The eight input types of the seed. */
  public enum InputType {
    Text,
    Number,
    DateTime,
    Members,
    Department,
    Attachment,
    Array,
    ObjectArray
  }

  /** The output types. */
  public enum OutputType {
    Text,
    Number,
    Boolean,
    DateTime,
    Object,
    Array,
    ObjectArray
  }

  /**
   * An input parameter, or a sub-element of an object array ({@code fields} empty otherwise).
   *
   * @param defaultValue plain data used when an optional value is empty; null when none
   */
  public record Input(
      String alias,
      String name,
      String description,
      InputType type,
      boolean required,
      Object defaultValue,
      List<Input> fields) {
    public Input {
      fields = List.copyOf(fields);
    }
  }

  /**
   * A code block.
   *
   * @param file the repository-relative path of the code file, for messages
   * @param language javascript or python
   * @param source the code itself (the bundle carries it)
   */
  public record CodeBlock(String file, String language, int timeoutMs, String source) {}

  /**
   * The request template. Every string is a template ({@code dev.conduit.template}).
   *
   * @param body the body, or null for none
   */
  public record Request(
      String method,
      String url,
      Map<String, String> query,
      Map<String, String> headers,
      Body body,
      int timeoutSeconds) {
    public Request {
      query = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(query));
      headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }
  }

  /** The request body: JSON, form or raw text. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Body.Json.class, name = "json"),
    @JsonSubTypes.Type(value = Body.Form.class, name = "form"),
    @JsonSubTypes.Type(value = Body.Raw.class, name = "raw")
  })
  public sealed interface Body {
    /** A JSON body: plain data whose strings are templates. */
    record Json(Object json) implements Body {}

    /** A URL-encoded form. */
    record Form(Map<String, String> form) implements Body {
      public Form {
        form = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(form));
      }
    }

    /** Raw text of a given content type. */
    record Raw(String contentType, String raw) implements Body {}
  }

  /**
   * An output parameter, or a field of an object array output ({@code fields} empty otherwise).
   *
   * @param path a JSONPath; for fields, relative to the object
   */
  public record Output(
      String alias,
      String name,
      String description,
      String path,
      OutputType type,
      List<Output> fields) {
    public Output {
      fields = List.copyOf(fields);
    }
  }
}
