package dev.conduit.compiler.emit;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Phase 6, emit: writes the bundle atomically, so a runtime never reads half a file. */
public final class BundleFile {
  private BundleFile() {}

  /** Writes the bundle ({@link BundleCodec#write}) and returns the bytes written. */
  public static byte[] write(Bundle bundle, Path target) throws IOException {
    byte[] bytes = BundleCodec.write(bundle);
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".bundle-", ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return bytes;
  }
}
