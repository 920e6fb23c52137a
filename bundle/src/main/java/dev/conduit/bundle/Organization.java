package dev.conduit.bundle;

import java.util.List;

/**
 * The organization a bundle belongs to.
 *
 * @param id the organization id (HAP's projectid)
 * @param name display name
 * @param description free text, may be null
 * @param admins logins of the organization administrators
 * @param sealingKeyId fingerprint of the public key hidden parameters are sealed to, or null when
 *     the organization has no sealing key (then it has no hidden parameters)
 */
public record Organization(
    String id, String name, String description, List<String> admins, String sealingKeyId) {

  public Organization {
    admins = List.copyOf(admins);
  }

  public boolean isAdmin(String login) {
    return admins.contains(login);
  }
}
