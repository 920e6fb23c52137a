package dev.conduit.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conduit.template.SecretReferences.Carried;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which references carry a secret: the rule the compiler's host proof and the runtime share. */
class SecretReferencesTest {

  private static List<Optional<Carried>> carried(String template, boolean anyHidden)
      throws TemplateException {
    Set<String> hidden = Set.of("api_key");
    return Template.parse(template).references().stream()
        .map(r -> SecretReferences.carried(r, hidden::contains, anyHidden))
        .toList();
  }

  @Test
  void hiddenParametersAndAuthValuesCarryASecretVisibleOnesAndInputsDoNot()
      throws TemplateException {
    assertEquals(
        List.of(
            Optional.of(Carried.HIDDEN_PARAMETER),
            Optional.empty(),
            Optional.of(Carried.AUTH_VALUE),
            Optional.empty()),
        carried(
            "{{connection.api_key}} {{connection.region}} {{auth.access_token}} {{input.city}}",
            true));
  }

  @Test
  void aBeforeValueCarriesASecretOnlyWhereTheBlockCouldSeeOne() throws TemplateException {
    assertEquals(List.of(Optional.of(Carried.BEFORE_RESULT)), carried("{{before.sig}}", true));
    assertEquals(List.of(Optional.empty()), carried("{{before.sig}}", false));
  }
}
