package dev.conduit.compiler.check;

import dev.conduit.bundle.Member;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.model.OrganizationFile;
import dev.conduit.compiler.parse.ParsedFile;
import dev.conduit.seal.SealException;
import dev.conduit.seal.SealingKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** organization.json and members.json: admins are members, ids are unique, the key is usable. */
final class OrganizationChecks {
  private OrganizationChecks() {}

  static void run(Context ctx) {
    if (ctx.model.members != null) {
      ParsedFile file = ctx.model.members.file();
      List<Member> members = ctx.model.members.value().members();
      unique(ctx, file, members, Member::login, "login", "login");
      unique(ctx, file, members, Member::userId, "userId", "userId");
      unique(ctx, file, members, Member::accountId, "accountId", "accountId");
    }
    if (ctx.model.organization == null) {
      return;
    }
    ParsedFile file = ctx.model.organization.file();
    OrganizationFile org = ctx.model.organization.value();
    for (int i = 0; i < org.admins().size(); i++) {
      String admin = org.admins().get(i);
      if (ctx.knowsMembers() && !ctx.logins.contains(admin)) {
        ctx.out.at(
            file,
            "/admins/" + i,
            Code.C203,
            "the admin \"" + admin + "\" is not a member (members.json)",
            "add them to members.json");
      }
    }
    if (org.sealing() != null) {
      try {
        String keyId = SealingKeys.keyIdOf(org.sealing().publicKey());
        if (ctx.sealer == null) {
          ctx.out.at(
              file,
              "/sealing/publicKey",
              Code.C104,
              "the sealing public key is not a Tink hybrid public keyset",
              "run `conduit keys init` again");
        } else if (org.sealing().keyId() != null && !org.sealing().keyId().equals(keyId)) {
          ctx.out.at(
              file,
              "/sealing/keyId",
              Code.C104,
              "keyId \""
                  + org.sealing().keyId()
                  + "\" does not match the public key (its id is "
                  + keyId
                  + ")",
              "set \"keyId\": \"" + keyId + "\"");
        }
      } catch (SealException e) {
        ctx.out.at(file, "/sealing/publicKey", Code.C104, e.getMessage(), null);
      }
    }
  }

  private static void unique(
      Context ctx,
      ParsedFile file,
      List<Member> members,
      Function<Member, String> key,
      String property,
      String what) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < members.size(); i++) {
      Integer first = seen.putIfAbsent(key.apply(members.get(i)), i);
      if (first != null) {
        ctx.out.at(
            file,
            "/members/" + i + "/" + property,
            Code.C202,
            "the "
                + what
                + " \""
                + key.apply(members.get(i))
                + "\" is used by members "
                + first
                + " and "
                + i,
            null);
      }
    }
  }
}
