package dev.conduit.runtime.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.invoke.CodeBlocks;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.runtime.metrics.RuntimeMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runtime's settings reach the code-block engines (issue 11): where bubblewrap is not up and
 * the operator has not opted in, a Python block is refused as UNAVAILABLE (503
 * CODE_BLOCK_UNAVAILABLE) naming what is missing, and the readiness check's pythonBlocks says
 * "refused: ...". No Python worker is ever started.
 */
class CodeBlocksAdapterTest {

  static RuntimeConfig config(boolean bubblewrap, boolean unconfinedUnsafe) throws Exception {
    RuntimeConfig c = new RuntimeConfig();
    set(c, "pythonWorkers", 1);
    set(c, "bubblewrap", bubblewrap);
    set(c, "pythonUnconfinedUnsafe", unconfinedUnsafe);
    set(c, "codeMaxTimeoutMillis", 30_000L);
    set(c, "jsMaxAllocationMb", 256L);
    return c;
  }

  static void set(RuntimeConfig c, String field, Object value) throws Exception {
    var f = RuntimeConfig.class.getDeclaredField(field);
    f.setAccessible(true);
    f.set(c, value);
  }

  @Test
  void withoutBubblewrapOrTheUnsafeOptInPythonBlocksAreRefusedNamingWhatIsMissing()
      throws Exception {
    PreparedConnection c =
        PreparedConnection.prepare(
            Fixtures.ORG,
            new Connection(
                "sms",
                "SMS",
                null,
                null,
                null,
                null,
                List.of(),
                false,
                List.of(),
                new Auth.None(),
                null,
                List.of(),
                List.of()),
            null,
            PrivateNetworkRule.only(Fixtures.ORG));
    try (CodeBlocksAdapter code =
        new CodeBlocksAdapter(config(false, false), RuntimeMetrics.NONE)) {
      assertEquals(
          "refused: bubblewrap is turned off in the configuration", code.confinementInEffect());
      CodeBlocks.Failure f =
          assertThrows(
              CodeBlocks.Failure.class,
              () ->
                  code.run(
                      c,
                      new Api.CodeBlock(
                          "code/x.py", "python", 1000, "def main(i):\n    return 1\n"),
                      Map.of()));
      assertEquals(CodeBlocks.UNAVAILABLE, f.kind());
      assertEquals(
          "code/x.py: Python code blocks are unavailable on this server: the operating-system confinement"
              + " they need is missing (bubblewrap is turned off in the configuration)",
          f.getMessage());
      assertEquals(
          2L,
          code.run(
              c,
              new Api.CodeBlock("code/x.js", "javascript", 5000, "function main(i) { return 2; }"),
              Map.of()),
          "JavaScript blocks still run");
    }
  }
}
