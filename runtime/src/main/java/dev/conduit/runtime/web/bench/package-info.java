/**
 * What the benchmarks need inside the server and nothing else uses: the bare forward endpoint
 * (bench/runtime/run.sh's ceiling), off unless {@code conduit.bench.forward-url} is set.
 */
package dev.conduit.runtime.web.bench;
