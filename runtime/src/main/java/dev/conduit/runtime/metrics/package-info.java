/**
 * The runtime's meters (MicroProfile Metrics, served by Liberty at /metrics): calls, their
 * duration, token refreshes, code-block time, GitOps deployments, alert deliveries and the request
 * log's queue. Depends on nothing else of the runtime, so every part may record into it. The list
 * of metrics, their tags and who may read them: docs/metrics.md.
 */
package dev.conduit.runtime.metrics;
