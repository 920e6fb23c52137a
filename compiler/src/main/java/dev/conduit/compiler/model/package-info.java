/**
 * The file model: one record per file kind, mirroring {@code schemas/} field for field. Files are
 * bound to these only after they pass their schema, so the types hold. These are the raw files;
 * {@code dev.conduit.bundle} has the resolved model (references linked, defaults filled). One part
 * is bound straight to the bundle's type: a connection's auth links nothing, so {@link
 * dev.conduit.compiler.model.AuthReader} binds it to the sealed {@code Auth} with its defaults,
 * once. A test fails when a record and its schema disagree on a field.
 */
package dev.conduit.compiler.model;
