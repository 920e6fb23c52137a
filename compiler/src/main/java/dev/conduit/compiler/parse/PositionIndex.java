package dev.conduit.compiler.parse;

import dev.conduit.compiler.diag.Position;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

/** Maps each JSON pointer of a document to where it starts, by one streaming pass. */
final class PositionIndex {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private PositionIndex() {}

  static Map<String, Position> build(String text) {
    Map<String, Position> index = new HashMap<>();
    try (JsonParser p = MAPPER.createParser(text)) {
      if (p.nextToken() != null) {
        index.put("", pos(p.currentTokenLocation()));
        walk(p, "", index);
      }
    } catch (JacksonException e) {
      // the file parsed before, so this cannot happen; positions already found are kept
    }
    return index;
  }

  private static void walk(JsonParser p, String pointer, Map<String, Position> index) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String child = pointer + "/" + escape(p.currentName());
        index.putIfAbsent(child, pos(p.currentTokenLocation()));
        p.nextToken();
        walk(p, child, index);
      }
    } else if (t == JsonToken.START_ARRAY) {
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        String child = pointer + "/" + i++;
        index.putIfAbsent(child, pos(p.currentTokenLocation()));
        walk(p, child, index);
      }
    }
  }

  private static Position pos(TokenStreamLocation loc) {
    return new Position(Math.max(loc.getLineNr(), 0), Math.max(loc.getColumnNr(), 0));
  }

  /** RFC 6901 escaping of one reference token. */
  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
