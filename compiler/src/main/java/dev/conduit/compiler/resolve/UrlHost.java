package dev.conduit.compiler.resolve;

import dev.conduit.template.PlainText;
import dev.conduit.template.Scope;
import dev.conduit.template.Template;
import dev.conduit.template.TemplateException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * What the compiler can prove about where a URL template sends a request: its scheme and host are
 * fixed when everything up to the end of the authority is literal text or visible connection
 * parameters; otherwise the host is chosen at run time (by an input, a before block, ...).
 */
public sealed interface UrlHost {

  /** The host is known at compile time. */
  record Fixed(String scheme, String host) implements UrlHost {}

  /** The host depends on a value known only at run time. */
  record Dynamic(String because) implements UrlHost {}

  /** The URL cannot be a valid absolute http(s) URL. */
  record Invalid(String why) implements UrlHost {}

  /**
   * @param visible the connection's visible parameter values by name
   */
  public static UrlHost of(String urlTemplate, Map<String, Object> visible) {
    Template t;
    try {
      t = Template.parse(urlTemplate);
    } catch (TemplateException e) {
      return new Invalid(e.getMessage());
    }
    StringBuilder known = new StringBuilder();
    for (Template.Part part : t.parts()) {
      switch (part) {
        case Template.Text text -> known.append(text.text());
        case Template.Ref ref -> {
          if (ref.scope() == Scope.CONNECTION && visible.containsKey(ref.name())) {
            known.append(PlainText.of(visible.get(ref.name())));
          } else if (authorityComplete(known)) {
            return fixed(known.toString());
          } else {
            return new Dynamic(ref + " decides the scheme or host");
          }
        }
      }
    }
    return fixed(known.toString());
  }

  private static boolean authorityComplete(CharSequence s) {
    String text = s.toString();
    int scheme = text.indexOf("://");
    if (scheme < 0) {
      return false;
    }
    String rest = text.substring(scheme + 3);
    return rest.indexOf('/') >= 0 || rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0;
  }

  private static UrlHost fixed(String url) {
    String candidate = url;
    int end = authorityEnd(candidate);
    if (end > 0) {
      candidate = candidate.substring(0, end);
    }
    try {
      URI uri = new URI(candidate);
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        return new Invalid("\"" + url + "\" is not an absolute http or https URL");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        return new Invalid("\"" + url + "\" has no host");
      }
      if (uri.getRawUserInfo() != null) {
        return new Invalid("\"" + url + "\" has credentials in the URL: use the connection's auth");
      }
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return new Fixed(scheme, host);
    } catch (URISyntaxException e) {
      return new Invalid("\"" + url + "\" is not a valid URL: " + e.getReason());
    }
  }

  private static int authorityEnd(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return -1;
    }
    for (int i = scheme + 3; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        return i;
      }
    }
    return url.length();
  }

  /** Whether a host is allowed by a list of hosts and "*.suffix" patterns. */
  public static boolean allowedBy(String host, java.util.Collection<String> allowed) {
    for (String a : allowed) {
      String pattern = a.toLowerCase(Locale.ROOT);
      if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern)) {
        return true;
      }
    }
    return false;
  }
}
