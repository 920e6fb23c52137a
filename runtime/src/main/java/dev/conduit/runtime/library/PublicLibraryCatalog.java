package dev.conduit.runtime.library;

import dev.conduit.catalog.LibraryIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The public library as the runtime serves it: the index and the entries' local logos, packaged in
 * the application (conduit-library/ on the class path, from library/index.json and the entries'
 * logo files). Nothing is fetched from outside: an entry whose logo is an https URL gets a
 * monogram.
 */
public final class PublicLibraryCatalog {

  private static final String ROOT = "conduit-library/";

  /** One page of results. */
  public record Page(List<LibraryIndex.Entry> items, int page, int size, int total) {}

  /** A logo's bytes and media type. */
  public record Logo(byte[] bytes, String mediaType) {}

  private final LibraryIndex index;
  private final ClassLoader loader;

  private PublicLibraryCatalog(LibraryIndex index, ClassLoader loader) {
    this.index = index;
    this.loader = loader;
  }

  /** The library packaged with the runtime; an empty one when the build packaged none. */
  public static PublicLibraryCatalog packaged() {
    ClassLoader loader = PublicLibraryCatalog.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(ROOT + "index.json")) {
      if (in == null) {
        return new PublicLibraryCatalog(new LibraryIndex(LibraryIndex.FORMAT, List.of()), loader);
      }
      return new PublicLibraryCatalog(
          LibraryIndex.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)), loader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the packaged library index", e);
    }
  }

  /**
   * @param page from 1
   * @param size 1 to 100
   */
  public Page search(String text, String category, int page, int size) {
    List<LibraryIndex.Entry> all = index.search(text, category);
    int from = Math.min(all.size(), (page - 1) * size);
    return new Page(all.subList(from, Math.min(all.size(), from + size)), page, size, all.size());
  }

  public Optional<LibraryIndex.Entry> entry(String id) {
    return index.entry(id);
  }

  public List<String> categories() {
    return index.categories();
  }

  public int size() {
    return index.entries().size();
  }

  /** The entry's logo: its own file, else a monogram of its name. */
  public Optional<Logo> logo(String id) {
    Optional<LibraryIndex.Entry> e = index.entry(id);
    if (e.isEmpty()) {
      return Optional.empty();
    }
    String file = e.get().logoFile();
    if (file != null) {
      String path = ROOT + "entries/" + id + "/" + e.get().version() + "/" + file;
      try (InputStream in = loader.getResourceAsStream(path)) {
        if (in != null) {
          return Optional.of(
              new Logo(in.readAllBytes(), file.endsWith(".png") ? "image/png" : "image/svg+xml"));
        }
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot read " + path, ex);
      }
    }
    return Optional.of(
        new Logo(Monogram.svg(e.get().name()).getBytes(StandardCharsets.UTF_8), "image/svg+xml"));
  }
}
