package dev.conduit.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Gives Flyway the migrations listed in {@code db/migration/index.txt}. Flyway's own classpath scan
 * cannot list a folder inside a WAR on Liberty (it finds "no migrations"), so the folder carries an
 * index; a test keeps the index equal to the folder.
 */
final class Migrations implements ResourceProvider {

  static final String FOLDER = "db/migration/";
  private final ClassLoader loader;
  private final List<String> names;

  Migrations(ClassLoader loader) {
    this.loader = loader;
    this.names = index(loader);
  }

  static List<String> index(ClassLoader loader) {
    try (InputStream in = loader.getResourceAsStream(FOLDER + "index.txt")) {
      if (in == null) {
        throw new IllegalStateException(FOLDER + "index.txt is missing from the application");
      }
      return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
          .map(String::strip)
          .filter(s -> !s.isEmpty() && !s.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public LoadableResource getResource(String name) {
    String file = name.startsWith(FOLDER) ? name.substring(FOLDER.length()) : name;
    return names.contains(file) ? new Migration(loader, file) : null;
  }

  @Override
  public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
    List<LoadableResource> out = new ArrayList<>();
    for (String n : names) {
      if (n.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(n::endsWith)) {
        out.add(new Migration(loader, n));
      }
    }
    return out;
  }

  /** One migration file, read from the class path. */
  private static final class Migration extends LoadableResource {
    private final ClassLoader loader;
    private final String file;

    Migration(ClassLoader loader, String file) {
      this.loader = loader;
      this.file = file;
    }

    @Override
    public Reader read() {
      try (InputStream in = loader.getResourceAsStream(FOLDER + file)) {
        if (in == null) {
          throw new IllegalStateException("migration " + file + " is listed but missing");
        }
        return new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String getAbsolutePath() {
      return FOLDER + file;
    }

    @Override
    public String getAbsolutePathOnDisk() {
      return FOLDER + file;
    }

    @Override
    public String getFilename() {
      return file;
    }

    @Override
    public String getRelativePath() {
      return file;
    }
  }
}
