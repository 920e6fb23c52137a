package dev.conduit.runtime.identity;

/** Checks a person's password against the user registry (Liberty's, in the server). */
@FunctionalInterface
public interface PasswordCheck {
  boolean check(String login, String password);
}
