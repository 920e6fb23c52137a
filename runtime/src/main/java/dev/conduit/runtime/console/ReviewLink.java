package dev.conduit.runtime.console;

import dev.conduit.runtime.gitops.GitSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where a person reviews a branch the console pushed: the Git host's page to open a pull (merge)
 * request from it. GitHub, Gitea and Forgejo share {@code /compare/BASE...BRANCH}; GitLab has its
 * own. A remote that is not https (file://, ssh) has no page: null.
 */
final class ReviewLink {
  private ReviewLink() {}

  static String of(GitSettings.Source source, String branch) {
    String scheme = source.url().getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      return null;
    }
    String repo = source.url().toString().replaceFirst("\\.git/?$", "").replaceFirst("/$", "");
    String b = URLEncoder.encode(branch, StandardCharsets.UTF_8);
    String host = source.url().getHost() == null ? "" : source.url().getHost();
    return host.toLowerCase(Locale.ROOT).contains("gitlab")
        ? repo + "/-/merge_requests/new?merge_request%5Bsource_branch%5D=" + b
        // the branch names the console makes are [A-Za-z0-9._/-]: safe in a path as they are
        : repo + "/compare/" + source.branch() + "..." + branch;
  }
}
