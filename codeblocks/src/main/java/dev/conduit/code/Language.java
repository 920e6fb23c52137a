package dev.conduit.code;

import java.util.Optional;

/** The languages of code blocks, known by file extension. */
public enum Language {
  JAVASCRIPT("js"),
  PYTHON("py");

  private final String extension;

  Language(String extension) {
    this.extension = extension;
  }

  public static Optional<Language> ofFileName(String name) {
    for (Language l : values()) {
      if (name.endsWith("." + l.extension)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }
}
