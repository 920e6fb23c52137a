package dev.conduit.compiler.diag;

/**
 * Every diagnostic code the compiler emits, with its default severity and a one-line summary. Codes
 * are stable: tools and people match on them. Never renumber; retire a code by leaving it in place.
 * {@code docs/diagnostics.md} explains each one with an example.
 */
public enum Code {
  // --- load and parse (C0xx) ---
  C001(Severity.ERROR, "unreadable-file", "a file cannot be read or is not UTF-8"),
  C002(Severity.ERROR, "json-syntax", "a file is not valid JSON"),
  C003(Severity.ERROR, "duplicate-key", "an object has the same key twice"),
  C004(Severity.WARNING, "unexpected-file", "a file where the repository layout expects none"),
  C005(Severity.ERROR, "missing-file", "a file the repository layout requires is missing"),
  C006(Severity.ERROR, "file-too-large", "a file is larger than the compiler accepts"),
  C007(Severity.WARNING, "schema-mismatch", "$schema names another file kind's schema"),

  // --- schema (C1xx) ---
  C101(Severity.ERROR, "unknown-property", "a property the schema does not define"),
  C102(Severity.ERROR, "missing-property", "a required property is missing"),
  C103(Severity.ERROR, "wrong-type", "a value of the wrong JSON type"),
  C104(Severity.ERROR, "invalid-value", "a value outside what the schema allows"),
  C105(Severity.ERROR, "not-allowed-here", "a property that this kind of file may not have here"),

  // --- resolve and check (C2xx) ---
  C201(Severity.ERROR, "id-mismatch", "an id differs from its file or folder name"),
  C202(Severity.ERROR, "duplicate-id", "two things share an id, alias, name or key"),
  C203(Severity.ERROR, "unknown-member", "a login that is not in members.json"),
  C204(Severity.ERROR, "unresolved-reference", "a {{...}} reference names nothing"),
  C205(
      Severity.ERROR,
      "reference-not-allowed",
      "a {{...}} reference that may not stand where it is"),
  C206(Severity.ERROR, "malformed-template", "a template with a malformed reference"),
  C207(Severity.WARNING, "value-as-text", "an array or object inserted into text"),
  C208(Severity.ERROR, "default-type-mismatch", "a default value that does not fit its type"),
  C210(Severity.ERROR, "unknown-application", "a grant names no application of this organization"),
  C212(Severity.ERROR, "unknown-api", "a declared use names no connection or API"),
  C213(Severity.ERROR, "api-not-invocable", "a declared use names a draft or disabled API"),
  C214(
      Severity.ERROR,
      "not-granted",
      "a declared use names a connection the application is not granted"),
  C215(Severity.ERROR, "missing-code-file", "a code block's file does not exist"),
  C216(Severity.ERROR, "code-syntax", "a code block does not parse"),
  C217(Severity.ERROR, "code-no-main", "a code block defines no main(input) function"),
  C218(Severity.ERROR, "plaintext-secret", "a hidden parameter holds a plaintext value"),
  C219(Severity.WARNING, "empty-secret", "a hidden parameter has no sealed value"),
  C220(Severity.ERROR, "sealed-but-visible", "a visible parameter holds a sealed value"),
  C221(Severity.ERROR, "sealed-to-other-key", "a sealed value was sealed to another public key"),
  C222(Severity.ERROR, "read-only-override", "an installed connection overrides its template"),
  C223(Severity.ERROR, "unknown-library-entry", "installedFrom names no library entry or version"),
  C224(Severity.ERROR, "unknown-template-api", "enabledApis names an API the library entry lacks"),
  C225(
      Severity.ERROR,
      "missing-install-parameter",
      "an installed connection lacks a required parameter"),
  C226(Severity.WARNING, "unused-parameter", "a connection parameter that nothing references"),
  C227(
      Severity.ERROR,
      "secret-host-not-fixed",
      "a secret could be sent to a host chosen by an input"),
  C228(
      Severity.ERROR,
      "secret-host-not-allowed",
      "a secret would be sent to a host outside allowedHosts"),
  C229(Severity.ERROR, "invalid-url", "a URL that is not absolute http(s)"),
  C230(Severity.WARNING, "secret-over-http", "a secret sent over plain http"),
  C231(Severity.ERROR, "fixed-secret", "a password or client secret written as a fixed value"),
  C232(Severity.ERROR, "invalid-jsonpath", "a JSONPath that does not parse"),
  C233(Severity.WARNING, "placeholder-text", "library guide text that reviewers reject"),
  C234(Severity.ERROR, "no-sealing-key", "hidden parameters but no sealing public key"),
  C235(Severity.WARNING, "alerts-without-owner", "error alerts on, but no owner to receive them"),
  C236(
      Severity.WARNING,
      "insecure-redirect-uri",
      "a redirect URI over plain http to a non-local host"),
  C237(
      Severity.ERROR,
      "sealed-for-other-place",
      "a sealed value was sealed for another organization, connection or parameter"),
  C238(
      Severity.WARNING,
      "unbound-sealed-value",
      "a sealed value of the first format, which does not show where it belongs"),
  C239(
      Severity.ERROR,
      "bad-alert-webhook",
      "an alert webhook without a hidden signing parameter, or a signing parameter without a"
          + " webhook"),
  C240(
      Severity.ERROR,
      "organization-not-bound",
      "organization.json names another organization than the one its source is bound to"),
  C241(
      Severity.ERROR,
      "weak-alert-signing-key",
      "an alert webhook's signing key (HMAC secret) shorter than 32 bytes");

  private final Severity severity;
  private final String slug;
  private final String summary;

  Code(Severity severity, String slug, String summary) {
    this.severity = severity;
    this.slug = slug;
    this.summary = summary;
  }

  public Severity defaultSeverity() {
    return severity;
  }

  /** A short readable name, e.g. "unresolved-reference" (SARIF rule name). */
  public String slug() {
    return slug;
  }

  public String summary() {
    return summary;
  }
}
