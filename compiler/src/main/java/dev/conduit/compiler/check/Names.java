package dev.conduit.compiler.check;

import dev.conduit.bundle.Api.InputType;
import java.util.Map;
import java.util.Set;

/**
 * What references may name at one place: the connection's parameters (name -&gt; hidden), the API's
 * inputs (alias -&gt; type), the auth kind's values, and whether a before block exists.
 */
record Names(
    Map<String, Boolean> parameters,
    Map<String, InputType> inputs,
    Set<String> authValues,
    boolean hasBefore,
    String authType) {

  boolean isHiddenParameter(String name) {
    return Boolean.TRUE.equals(parameters.get(name));
  }
}
