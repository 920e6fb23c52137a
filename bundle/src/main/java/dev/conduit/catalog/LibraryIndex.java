package dev.conduit.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public library's index: every entry's newest version, enough to list, search and show it.
 *
 * @param format {@link #FORMAT}
 * @param entries sorted by id
 */
public record LibraryIndex(String format, List<Entry> entries) {

  /** The format marker of an index file. */
  public static final String FORMAT = "conduit-library-index/1";

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /**
   * One entry, its newest version.
   *
   * @param versions every version, oldest first
   * @param authType none, basic, oauth2-client-credentials or oauth2-authorization-code
   * @param logoFile the logo file in the version folder (e.g. logo.svg), or null
   * @param logoUrl the logo as an https URL the entry names, or null
   * @param apis the template APIs
   */
  public record Entry(
      String id,
      String version,
      List<String> versions,
      String name,
      String summary,
      List<String> categories,
      String authType,
      String logoFile,
      String logoUrl,
      String publisher,
      List<Api> apis) {

    /** Whether every word of {@code text} is in the id, name, summary, categories or API names. */
    public boolean matches(String text) {
      String hay = haystack();
      for (String word : words(text)) {
        if (!hay.contains(word)) {
          return false;
        }
      }
      return true;
    }

    /** Whether the entry is in this category (case-insensitive; null or blank: every entry). */
    public boolean inCategory(String category) {
      return category == null
          || category.isBlank()
          || categories.stream().anyMatch(c -> c.equalsIgnoreCase(category.strip()));
    }

    private String haystack() {
      StringBuilder sb = new StringBuilder(id).append(' ').append(name).append(' ').append(summary);
      categories.forEach(c -> sb.append(' ').append(c));
      apis.forEach(a -> sb.append(' ').append(a.name()));
      return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** How well the entry matches: the id or name first, then everything else. */
    int rank(String text) {
      String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
      if (t.isEmpty()) {
        return 2;
      }
      if (id.equals(t) || name.toLowerCase(Locale.ROOT).equals(t)) {
        return 0;
      }
      return id.contains(t) || name.toLowerCase(Locale.ROOT).contains(t) ? 1 : 2;
    }
  }

  /** A template API of an entry. */
  public record Api(String id, String name, String description) {}

  public LibraryIndex {
    entries = List.copyOf(entries);
  }

  /**
   * The entries matching {@code text} (every word, case-insensitive; blank: all) in {@code
   * category} (null: any): exact id or name matches first, then id or name containing the text,
   * then the rest, each by id.
   */
  public List<Entry> search(String text, String category) {
    return entries.stream()
        .filter(e -> e.inCategory(category) && e.matches(text))
        .sorted(Comparator.comparingInt((Entry e) -> e.rank(text)).thenComparing(Entry::id))
        .toList();
  }

  public Optional<Entry> entry(String id) {
    return entries.stream().filter(e -> e.id().equals(id)).findFirst();
  }

  /** Every category, sorted. */
  public List<String> categories() {
    TreeSet<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    entries.forEach(e -> all.addAll(e.categories()));
    return new ArrayList<>(all);
  }

  public String toJson() {
    return JSON.writeValueAsString(this) + "\n";
  }

  /**
   * @throws IllegalArgumentException when the text is not an index
   */
  public static LibraryIndex parse(String json) {
    LibraryIndex index;
    try {
      index = JSON.readValue(json, LibraryIndex.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not a library index: " + e.getOriginalMessage());
    }
    if (!FORMAT.equals(index.format())) {
      throw new IllegalArgumentException(
          "not a library index (format " + index.format() + ", expected " + FORMAT + ")");
    }
    return index;
  }

  private static List<String> words(String text) {
    List<String> w = new ArrayList<>();
    if (text != null) {
      for (String s : text.toLowerCase(Locale.ROOT).split("\\s+")) {
        if (!s.isEmpty()) {
          w.add(s);
        }
      }
    }
    return w;
  }
}
