# Sourced by ./mvnw, bin/conduit and the project's scripts: makes JAVA_HOME point at a JDK 21 or
# newer and CONDUIT_JAVA_MAJOR hold its feature version. Conduit builds Java 21 bytecode; many
# machines still default to 17, so look for a newer JDK in the usual install locations instead
# of failing with "release 21 not supported". bin/conduit only runs java: it sets
# CONDUIT_JDK_NEEDS=java first, so that a JAVA_HOME holding a runtime without javac will do.

conduit_jdk_major() { # $1 = a JDK's home; prints its feature version, e.g. 25
  # Every JDK since 9 ships a `release` file (JAVA_VERSION="25.0.3"): reading it costs a sed,
  # where asking `java` starts a JVM (0.05-0.2 s each, once per candidate and once per launch).
  # A home without one (JDK 8, odd packagings) is asked the slow way.
  # Read by the shell itself (no sed: bin/conduit pays for every process it starts).
  if [ -f "$1/release" ]; then
    while IFS= read -r line; do
      case $line in
        JAVA_VERSION=*)
          line=${line#JAVA_VERSION=\"}
          line=${line#1.} # 1.8.0_412 is 8
          echo "${line%%[!0-9]*}"
          return 0 ;;
      esac
    done < "$1/release"
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \(1\.\)\{0,1\}\([0-9]*\).*/\2/p'
  fi
}

conduit_java_major() { # $1 = a java executable (HOME/bin/java); prints its feature version
  conduit_jdk_major "$(dirname "$(dirname "$1")")"
}

conduit_find_jdk() { # $1 = the tool a home must have: javac (to build) or java (to run)
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/$1" ]; then
    v=$(conduit_jdk_major "$JAVA_HOME")
    if [ "${v:-0}" -ge 21 ]; then CONDUIT_JAVA_MAJOR=$v; return 0; fi
  fi
  if command -v "$1" >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v "$1")")")")
    v=$(conduit_jdk_major "$home")
    if [ "${v:-0}" -ge 21 ]; then JAVA_HOME=$home CONDUIT_JAVA_MAJOR=$v; return 0; fi
  fi
  best= best_v=0
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/$1" ] || continue
    v=$(conduit_jdk_major "$home")
    if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$home best_v=$v; fi
  done
  if [ -n "$best" ]; then JAVA_HOME=$best CONDUIT_JAVA_MAJOR=$best_v; return 0; fi
  echo "Conduit needs a JDK 21 or newer: set JAVA_HOME to one (found none in the usual places)." >&2
  return 1
}

conduit_jdk_found=1
if conduit_find_jdk "${CONDUIT_JDK_NEEDS:-javac}"; then
  export JAVA_HOME CONDUIT_JAVA_MAJOR
  conduit_jdk_found=0
fi

# Maven 3.9 (Guice) still calls sun.misc.Unsafe; JDK 24+ warns about it on every run.
# Only JDK 23+ knows this flag (older JDKs refuse to start with it), so add it by version.
if [ "${CONDUIT_JDK_NEEDS:-javac}" = javac ] && [ "${CONDUIT_JAVA_MAJOR:-0}" -ge 23 ]; then
  case "${MAVEN_OPTS:-}" in *sun-misc-unsafe-memory-access*) ;; *)
    MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
  esac
fi
# the status of sourcing this file (`. find-jdk.sh || exit 1`): whether a JDK was found
[ "$conduit_jdk_found" = 0 ]
