package dev.conduit.compiler;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.model.RepositoryModel;
import java.util.Objects;
import java.util.Optional;

/**
 * The organization a source is bound to, when the runtime says so ({@code
 * conduit.git.NAME.organization}). The organization is the boundary: whoever can push to one
 * organization's repository must not be able to take over another's by writing its id into
 * organization.json (its admins, its connections, its sealed values' binding). A commit whose
 * organization.json names another id is refused with C240; an unbound source (the CLI, a bundle
 * file) is not checked.
 *
 * @param organizationId the one id commits of this source may carry, or empty: unbound
 */
public record OrganizationBinding(Optional<String> organizationId) {

  /** Not bound: any organization id is accepted. */
  public static final OrganizationBinding NONE = new OrganizationBinding(Optional.empty());

  public OrganizationBinding {
    Objects.requireNonNull(organizationId);
  }

  /** Bound to this id. */
  public static OrganizationBinding to(String organizationId) {
    return new OrganizationBinding(Optional.of(organizationId));
  }

  /** Reports C240 on organization.json's id when it is not the bound one. */
  void check(RepositoryModel model, Diagnostics out) {
    if (organizationId.isEmpty() || model.organization == null) {
      return;
    }
    String id = model.organization.value().id();
    if (!organizationId.get().equals(id)) {
      out.at(
          model.organization.file(),
          "/id",
          Code.C240,
          "this source is bound to organization "
              + organizationId.get()
              + ", but organization.json says "
              + id
              + ": the commit is refused",
          "a repository serves one organization: fix the id, or change the runtime's"
              + " conduit.git.NAME.organization if the binding itself is wrong");
    }
  }
}
