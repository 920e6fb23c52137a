package dev.conduit.runtime.library;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.LibraryEntry;
import dev.conduit.catalog.LibraryIndex;
import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.IndexBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.MissingNode;

/**
 * An organization's own library (library/ENTRY/ of its repository) as its served bundle has it:
 * listed and searched with the public library's own search ({@link LibraryIndex}, one set of
 * rules), one version per entry (the compiler installs an organization entry only at the version
 * its library.json names). Built from one organization's bundle, so another organization's entries
 * are never in it.
 */
public final class OrganizationLibrary {

  private final List<LibraryEntry> entries;
  private final LibraryIndex index;

  private OrganizationLibrary(List<LibraryEntry> entries) {
    this.entries = entries;
    this.index =
        new LibraryIndex(
            LibraryIndex.FORMAT, entries.stream().map(OrganizationLibrary::indexed).toList());
  }

  /** The library of the organization this bundle serves. */
  public static OrganizationLibrary of(Bundle bundle) {
    return new OrganizationLibrary(bundle.library());
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The entries matching as the public library's search matches (every word; category). */
  public List<LibraryIndex.Entry> search(String text, String category) {
    return index.search(text, category);
  }

  public List<String> categories() {
    return index.categories();
  }

  public Optional<LibraryEntry> entry(String id) {
    return entries.stream().filter(e -> e.id().equals(id)).findFirst();
  }

  /**
   * An entry's logo: a monogram of its name (the bundle names no logo file of an entry, and a logo
   * elsewhere on the internet is not fetched).
   */
  public Optional<PublicLibraryCatalog.Logo> logo(String id) {
    return entry(id)
        .map(
            e ->
                new PublicLibraryCatalog.Logo(
                    Monogram.svg(e.name()).getBytes(StandardCharsets.UTF_8), "image/svg+xml"));
  }

  /**
   * The entry as the installer reads an entry (the CLI's {@code Installer}): its one version, its
   * parameters and APIs. The APIs' requests, inputs and outputs stay in the repository; the bundle
   * lists names and descriptions.
   */
  public static Catalog.Entry installable(LibraryEntry e) {
    return new Catalog.Entry(
        e.id(),
        e.version(),
        List.of(e.version()),
        e.name(),
        e.summary(),
        e.categories(),
        e.authType(),
        e.parameters().stream()
            .map(
                p ->
                    new Catalog.Parameter(
                        p.name(), p.label(), p.description(), p.hidden(), p.required()))
            .toList(),
        e.apis().stream()
            .map(
                a ->
                    new Catalog.Api(
                        a.id(),
                        a.name(),
                        a.description() == null ? "" : a.description(),
                        null,
                        null,
                        MissingNode.getInstance()))
            .toList(),
        null,
        null,
        null);
  }

  /** Its index line: the public library's mapping ({@link IndexBuilder#line}), no logo file. */
  private static LibraryIndex.Entry indexed(LibraryEntry e) {
    return IndexBuilder.line(installable(e), "", e.publisher());
  }
}
