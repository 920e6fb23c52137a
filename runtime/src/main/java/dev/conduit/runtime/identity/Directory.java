package dev.conduit.runtime.identity;

import dev.conduit.bundle.Member;
import java.util.List;
import java.util.Optional;

/**
 * What the identity provider reads from the loaded bundles: third-party applications by app_key
 * (unique in the runtime), organizations and their members.
 */
public interface Directory {

  /** A third-party application as the identity provider sees it. */
  record Client(
      String appKey,
      String organizationId,
      String id,
      String name,
      String description,
      String homepage,
      String secretHash,
      List<String> redirectUris) {}

  Optional<Client> client(String appKey);

  /** The organization's display name, or empty when no such organization is loaded. */
  Optional<String> organizationName(String organizationId);

  Optional<Member> member(String organizationId, String login);
}
