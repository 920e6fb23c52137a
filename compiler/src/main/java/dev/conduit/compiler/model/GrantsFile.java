package dev.conduit.compiler.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** connections/&lt;id&gt;/grants.json */
@JsonIgnoreProperties("$schema")
public record GrantsFile(List<Grant> applications) {

  /** One authorized application. */
  public record Grant(String application, String grantedBy, String note) {}
}
