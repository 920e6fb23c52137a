package dev.conduit.bundle;

import java.util.List;

/**
 * An organization-library entry as the runtime lists it: the manifest and a summary of its
 * template. Installs are already expanded into connections, so this is for browsing.
 *
 * @param authType the template's auth kind
 * @param parameters what an installer must provide
 * @param apis the template's APIs
 */
public record LibraryEntry(
    String id,
    String version,
    String name,
    String summary,
    List<String> categories,
    Guide guide,
    String publisher,
    String authType,
    List<ParameterSpec> parameters,
    List<ApiSummary> apis) {

  public LibraryEntry {
    categories = List.copyOf(categories);
    parameters = List.copyOf(parameters);
    apis = List.copyOf(apis);
  }

  /** The usage guide reviewers require. */
  public record Guide(
      String productIntroduction,
      String officialWebsite,
      String integrationOverview,
      String apiDocumentation,
      String contact) {}

  /** A parameter the installer fills in. */
  public record ParameterSpec(
      String name, String label, String description, boolean hidden, boolean required) {}

  /** One API of the template. */
  public record ApiSummary(String id, String name, String description) {}
}
