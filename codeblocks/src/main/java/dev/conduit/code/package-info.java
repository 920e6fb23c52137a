/**
 * Code blocks: JavaScript on GraalJS (in-process, confined) and Python on Jython (in worker
 * processes, confined by the operating system where it allows). One contract for both: the file
 * defines {@code main(input)}, which receives plain data and returns plain data. See
 * docs/code-blocks.md for the contract, the helper library, the limits and what is confined.
 */
package dev.conduit.code;
