/**
 * Limits that keep one caller or one upstream from taking the whole server: bulkheads (calls in
 * flight per connection and per application). No dependencies on the rest of the runtime; the
 * invoke engine and the JAX-RS layer decide what a refusal answers. See docs/runtime-invoke.md,
 * "Stalls: bulkheads and deadlines".
 */
package dev.conduit.runtime.limits;
