package dev.conduit.runtime.invoke;

import java.time.Clock;

/** The in-memory store keeps the TokenStore contract. */
class InMemoryTokenStoreTest extends TokenStoreContract {

  @Override
  protected TokenStore store(Clock clock) {
    return new InMemoryTokenStore(clock);
  }
}
