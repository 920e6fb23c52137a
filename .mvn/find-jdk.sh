# Sourced by ./mvnw and the project's scripts: makes JAVA_HOME point at a JDK 21 or newer.
# Conduit builds Java 21 bytecode; many machines still default to 17, so look for a newer
# JDK in the usual install locations instead of failing with "release 21 not supported".

conduit_java_major() { # $1 = a java executable; prints its feature version, e.g. 25
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

conduit_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(conduit_java_major "$JAVA_HOME/bin/java"); [ "${v:-0}" -ge 21 ] && return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(conduit_java_major "$home/bin/java"); if [ "${v:-0}" -ge 21 ]; then JAVA_HOME=$home; return 0; fi
  fi
  best= best_v=0
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/javac" ] || continue
    v=$(conduit_java_major "$home/bin/java")
    if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$home best_v=$v; fi
  done
  if [ -n "$best" ]; then JAVA_HOME=$best; return 0; fi
  echo "Conduit needs a JDK 21 or newer: set JAVA_HOME to one (found none in the usual places)." >&2
  return 1
}

conduit_find_jdk && export JAVA_HOME

# Maven 3.9 (Guice) still calls sun.misc.Unsafe; JDK 24+ warns about it on every run.
# Only JDK 23+ knows this flag (older JDKs refuse to start with it), so add it by version.
if [ "$(conduit_java_major "$JAVA_HOME/bin/java")" -ge 23 ] 2>/dev/null; then
  case "${MAVEN_OPTS:-}" in *sun-misc-unsafe-memory-access*) ;; *)
    MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
  esac
fi
