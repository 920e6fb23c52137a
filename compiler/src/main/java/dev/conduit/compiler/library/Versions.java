package dev.conduit.compiler.library;

import java.util.Comparator;

/** Semantic version order of major.minor.patch strings (so 1.10.0 comes after 1.9.0). */
public final class Versions {
  public static final Comparator<String> ORDER = Comparator.comparingLong(Versions::key);

  private Versions() {}

  private static long key(String version) {
    String[] p = version.split("\\.");
    return Long.parseLong(p[0]) * 1_000_000_000L
        + Long.parseLong(p[1]) * 1_000_000L
        + Long.parseLong(p[2]);
  }
}
