/**
 * The identity provider of seed 001: third-party applications sign the organization's members in
 * through Conduit with OAuth 2.0 (authorization code), exchange the code for tokens and read the
 * member's passport. This package is the protocol core, plain Java: it decides, the JAX-RS layer
 * ({@code dev.conduit.runtime.identity.web}) only translates HTTP. State lives behind {@link
 * dev.conduit.runtime.identity.IdentityStore} (in memory for tests, the database in the server);
 * codes and tokens are stored only as SHA-256 hashes.
 */
package dev.conduit.runtime.identity;
