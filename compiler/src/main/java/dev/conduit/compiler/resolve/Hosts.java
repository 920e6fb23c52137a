package dev.conduit.compiler.resolve;

import dev.conduit.bundle.Auth;
import dev.conduit.compiler.model.ApiFile;
import dev.conduit.compiler.model.ConnectionFile;
import dev.conduit.compiler.model.Located;
import dev.conduit.compiler.model.RepositoryModel.Folder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The hosts a connection's secrets may go to: declared, or the hosts of its own fixed URLs. */
public final class Hosts {
  private Hosts() {}

  /** The effective allowed hosts, sorted. */
  public static List<String> allowed(ConnectionFile c, Folder folder) {
    if (c.allowedHosts() != null) {
      return List.copyOf(c.allowedHosts());
    }
    TreeSet<String> hosts = new TreeSet<>();
    Map<String, Object> visible = visibleValues(c);
    for (String url : ownUrls(c, folder)) {
      if (UrlHost.of(url, visible) instanceof UrlHost.Fixed f) {
        hosts.add(f.host());
      }
    }
    return new ArrayList<>(hosts);
  }

  /** Every URL template of the connection: token endpoints and API request URLs. */
  static List<String> ownUrls(ConnectionFile c, Folder folder) {
    List<String> urls = new ArrayList<>();
    if (c.auth() != null) {
      switch (c.auth()) {
        case Auth.None none -> {}
        case Auth.Basic basic -> {}
        case Auth.ClientCredentials cc -> urls.add(cc.tokenUrl());
        case Auth.AuthorizationCode ac -> {
          urls.add(ac.authorizationUrl());
          urls.add(ac.tokenUrl());
          if (ac.revocationUrl() != null) {
            urls.add(ac.revocationUrl());
          }
          if (ac.accountName() != null && ac.accountName().userinfoUrl() != null) {
            urls.add(ac.accountName().userinfoUrl());
          }
        }
      }
    }
    for (Located<ApiFile> api : folder.apis.values()) {
      urls.add(api.value().request().url());
    }
    return urls;
  }

  /** The visible parameters' values by name (hidden ones are unknown to the compiler). */
  public static Map<String, Object> visibleValues(ConnectionFile c) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (ConnectionFile.ParameterEntry p : c.parametersOrEmpty()) {
      if (!p.isHidden() && p.value() != null) {
        values.put(p.name(), p.value());
      }
    }
    return values;
  }
}
