package dev.conduit.compiler.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.conduit.bundle.Member;
import java.util.List;

/**
 * members.json. A member entry has exactly the bundle's {@link Member} shape, so it is bound to
 * that record directly.
 */
@JsonIgnoreProperties("$schema")
public record MembersFile(List<Member> members) {}
