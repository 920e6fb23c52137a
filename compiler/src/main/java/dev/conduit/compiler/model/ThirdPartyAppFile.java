package dev.conduit.compiler.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** third-party-apps/&lt;id&gt;.json */
@JsonIgnoreProperties("$schema")
public record ThirdPartyAppFile(
    String id,
    String name,
    String description,
    String homepage,
    String owner,
    String appKey,
    String secretHash,
    List<String> redirectUris) {}
