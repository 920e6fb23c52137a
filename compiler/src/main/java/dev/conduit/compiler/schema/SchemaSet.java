package dev.conduit.compiler.schema;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.conduit.compiler.source.FileKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Schemas of {@code schemas/}, packaged into the compiler jar under {@code
 * dev/conduit/schemas/}, loaded once.
 */
public final class SchemaSet {

  /** Where schemas/ is copied in the jar (see compiler/pom.xml). */
  static final String RESOURCE_DIR = "/dev/conduit/schemas/";

  private static final SchemaSet INSTANCE = new SchemaSet();

  private final Map<FileKind, Schema> schemas = new EnumMap<>(FileKind.class);
  private final Map<FileKind, JsonNode> documents = new EnumMap<>(FileKind.class);

  private SchemaSet() {
    JsonMapper mapper = JsonMapper.builder().build();
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            b ->
                b.schemaRegistryConfig(
                    SchemaRegistryConfig.builder()
                        .locale(Locale.ENGLISH)
                        .formatAssertionsEnabled(true)
                        .build()));
    for (FileKind kind : FileKind.values()) {
      if (!kind.isJson()) {
        continue;
      }
      String name = fileName(kind);
      try (InputStream in = SchemaSet.class.getResourceAsStream(RESOURCE_DIR + name)) {
        if (in == null) {
          throw new IllegalStateException("the compiler jar lacks its schema " + name);
        }
        JsonNode doc = mapper.readTree(in);
        documents.put(kind, doc);
        schemas.put(kind, registry.getSchema(SchemaLocation.of(doc.get("$id").asString()), doc));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static SchemaSet get() {
    return INSTANCE;
  }

  /** e.g. "api.schema.json". */
  public static String fileName(FileKind kind) {
    return kind.schemaName() + ".schema.json";
  }

  public Schema schema(FileKind kind) {
    return schemas.get(kind);
  }

  /** The schema document, for "did you mean" suggestions and docs. */
  public JsonNode document(FileKind kind) {
    return documents.get(kind);
  }

  /** The schema's stable $id. */
  public String id(FileKind kind) {
    return documents.get(kind).get("$id").asString();
  }
}
