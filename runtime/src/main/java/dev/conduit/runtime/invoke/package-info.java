/**
 * The invoke engine: what happens between "an application calls an API" and "here are the outputs",
 * as plain Java (no container needed, so every rule is unit-tested against a real local HTTP
 * upstream). The JAX-RS layer authenticates the caller, checks the grant and {@link
 * dev.conduit.runtime.invoke.Invoker#refusal}, and calls {@link
 * dev.conduit.runtime.invoke.Invoker#invoke}; it gets back an {@link
 * dev.conduit.runtime.invoke.Outcome}, a value, never an exception.
 *
 * <p>Prepared once per bundle load: {@code PreparedConnection} (hidden parameters opened, templates
 * parsed, JSONPaths compiled, the {@code Masker}). The life of a call: {@code InputValidator}
 * (types, required, defaults, the four object-array rules, shape limits) -&gt; before code block
 * -&gt; auth ({@code TokenManager} for OAuth 2.0, shared through a {@code TokenStore}) -&gt; {@code
 * RequestRenderer} (templates, encoding) -&gt; {@code Upstream} (allowed hosts, internal addresses,
 * one deadline, size cap, no redirects) -&gt; token-expired retry, once -&gt; after code block
 * -&gt; {@code OutputExtractor} (JSONPath, types). {@code Recorder} and {@code Masker} make the
 * masked {@code Exchange} every outcome carries. See docs/runtime-invoke.md.
 */
package dev.conduit.runtime.invoke;
