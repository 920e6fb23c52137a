/**
 * The invoke engine: what happens between "an application calls an API" and "here are the
 * outputs", as plain Java (no container needed, so every rule is unit-tested against a real
 * local HTTP upstream). The JAX-RS layer authenticates the caller, finds the prepared
 * connection and calls {@link dev.conduit.runtime.invoke.Invoker#invoke}; it gets back an
 * {@link dev.conduit.runtime.invoke.Outcome}, a value, never an exception.
 *
 * <p>The life of a call: {@code InputValidator} (types, required, defaults, the four
 * object-array rules) -&gt; before code block -&gt; {@code RequestRenderer} (templates, encoding)
 * -&gt; auth ({@code TokenManager} for OAuth 2.0) -&gt; {@code Upstream} (allowed hosts, private
 * addresses, timeout, size cap) -&gt; token-expired retry -&gt; after code block -&gt;
 * {@code OutputExtractor} (JSONPath, types). {@code Masker} hides every secret in what is
 * recorded. See docs/runtime-invoke.md.
 */
package dev.conduit.runtime.invoke;
