/**
 * Error alerts to connection owners (seed 000, "Error Notification Settings"): the throttle per
 * error class, "recovered" messages, the owner's read/acknowledged state, and delivery by e-mail
 * and signed webhook through a database outbox that any instance works through, with retries and
 * dead letters. docs/alerts.md describes it for users.
 */
package dev.conduit.runtime.alerts;
