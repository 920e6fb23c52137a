/**
 * The file model: one record per file kind, mirroring {@code schemas/} field for field. Files are
 * bound to these only after they pass their schema, so the types hold. These are the raw files;
 * {@code dev.conduit.bundle} has the resolved model (references linked, defaults filled). A test
 * fails when a record and its schema disagree on a field.
 */
package dev.conduit.compiler.model;
