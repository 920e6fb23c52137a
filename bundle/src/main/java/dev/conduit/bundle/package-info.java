/**
 * The bundle: the one contract between the compiler and the runtime.
 *
 * <p>The compiler resolves an organization repository (references linked, defaults filled in,
 * library installs expanded, code attached) into one {@link dev.conduit.bundle.Bundle} and writes
 * it with {@link dev.conduit.bundle.BundleCodec}; the runtime reads it back and never looks at the
 * repository itself. The format is versioned ({@link dev.conduit.bundle.Bundle#FORMAT}) and
 * documented in {@code docs/bundle.md}. Hidden parameters stay sealed inside it.
 *
 * <p>Free-form JSON values (defaults, JSON bodies, visible parameter values) are "plain data":
 * {@code Map<String,Object>} (insertion-ordered), {@code List<Object>}, {@code String}, numbers,
 * {@code Boolean} and {@code null}.
 */
package dev.conduit.bundle;
