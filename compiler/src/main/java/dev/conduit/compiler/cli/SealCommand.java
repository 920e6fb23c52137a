package dev.conduit.compiler.cli;

import dev.conduit.seal.SealContext;
import dev.conduit.seal.Sealer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code conduit seal}: encrypts a value read from standard input to the organization's public key
 * and writes it into a connection parameter. The value never appears on the command line (where
 * shell history and process lists would keep it).
 */
@Command(
    name = "seal",
    mixinStandardHelpOptions = true,
    description = {
      "Seal a secret into a hidden connection parameter. The value is read from standard input:",
      "  printf '%%s' 'the-secret' | conduit seal --connection wecom --parameter corpsecret .",
      "Anyone can seal; only the runtime can open. The parameter is created if missing."
    })
final class SealCommand extends Conduit.Base implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The organization repository. Default: the current directory.")
  Path directory;

  @Option(
      names = "--connection",
      paramLabel = "ID",
      required = true,
      description = "The connection id (its folder name).")
  String connection;

  @Option(
      names = "--parameter",
      paramLabel = "NAME",
      required = true,
      description = "The parameter to seal into.")
  String parameter;

  @Option(names = "--print", description = "Only print the sealed value; change no file.")
  boolean print;

  @Override
  public Integer call() throws Exception {
    SealingTarget target = SealingTarget.of(directory, "run `conduit keys init` first");
    String value = readValue();
    if (value.isEmpty()) {
      throw new UsageProblem("nothing to seal: standard input was empty");
    }
    String sealed =
        new Sealer(target.publicKey())
            .seal(value, new SealContext(target.organizationId(), connection, parameter));
    if (print) {
      out.println(sealed);
      return Conduit.OK;
    }
    Path file = target.repo().resolve("connections").resolve(connection).resolve("connection.json");
    ObjectNode conn = JsonFileEdit.read(file);
    ArrayNode params =
        conn.has("parameters") && conn.get("parameters").isArray()
            ? (ArrayNode) conn.get("parameters")
            : conn.putArray("parameters");
    ObjectNode param = null;
    for (JsonNode p : params) {
      if (p instanceof ObjectNode o && parameter.equals(o.path("name").asString())) {
        param = o;
      }
    }
    if (param == null) {
      param = params.addObject();
      param.put("name", parameter);
    }
    param.remove("value");
    param.put("hidden", true);
    param.put("sealed", sealed);
    JsonFileEdit.write(file, conn);
    out.println("sealed " + connection + "/" + parameter + " in " + file);
    return Conduit.OK;
  }

  /** Standard input, without the one trailing newline that echo and editors add. */
  private String readValue() throws java.io.IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    String v = buf.toString(StandardCharsets.UTF_8);
    if (v.endsWith("\r\n")) {
      return v.substring(0, v.length() - 2);
    }
    return v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
  }
}
