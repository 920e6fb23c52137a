/**
 * Sealed secrets: hidden connection parameters are encrypted to the runtime's public key (Tink
 * hybrid encryption, HPKE X25519 + AES-256-GCM), so anyone can seal a value and only the runtime,
 * holding the private key outside Git, can open it. Each sealed value is bound to its organization,
 * connection and parameter (the HPKE context info), so a sealed value copied into another parameter
 * or connection cannot be opened there.
 */
package dev.conduit.seal;
