/**
 * The public library's index ({@code library/index.json}): one line of facts per entry (its newest
 * version), written by the compiler ({@code conduit library index}) and read by whatever browses
 * the library without opening 300 folders: {@code conduit library search} and the runtime's library
 * endpoints. One search, here, for both.
 */
package dev.conduit.catalog;
