package dev.conduit.compiler.check;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import dev.conduit.bundle.Auth;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.parse.ParsedFile;

/** JSONPaths are compiled by the same library the runtime uses, so a bad one fails here. */
final class JsonPaths {
  private JsonPaths() {}

  static void check(Context ctx, ParsedFile file, String pointer, String path) {
    if (path == null) {
      return;
    }
    try {
      JsonPath.compile(path);
    } catch (InvalidPathException | IllegalArgumentException e) {
      ctx.out.at(
          file,
          pointer,
          Code.C232,
          "invalid JSONPath \"" + path + "\": " + e.getMessage(),
          "e.g. $.data.items[0].name");
    }
  }

  static void check(Context ctx, ParsedFile file, String pointer, Auth.TokenResponse r) {
    check(ctx, file, pointer + "/accessTokenPath", r.accessTokenPath());
    check(ctx, file, pointer + "/expiresInPath", r.expiresInPath());
    check(ctx, file, pointer + "/refreshTokenPath", r.refreshTokenPath());
  }
}
