package dev.conduit.runtime.web;

/** JSON text of plain data, for endpoints that must control their exact bytes (HAP envelopes). */
public final class JsonText {
  private JsonText() {}

  public static String write(Object value) {
    return Json.write(value);
  }
}
