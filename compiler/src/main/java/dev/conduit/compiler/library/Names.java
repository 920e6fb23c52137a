package dev.conduit.compiler.library;

import java.util.regex.Pattern;

/** The shapes of entry ids and versions (the same patterns as schemas/library.schema.json). */
public final class Names {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern VERSION = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+");

  private Names() {}

  public static boolean isId(String s) {
    return s != null && ID.matcher(s).matches();
  }

  public static boolean isVersion(String s) {
    return s != null && VERSION.matcher(s).matches();
  }
}
