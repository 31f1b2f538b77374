# shellcheck shell=bash
# Finding JDK 25, for ./tinyscale and the bench scripts alike. Sourced, never run.

# jdk25_home — prints the directory of a JDK 25 or newer: JAVA_HOME when it is one, else the
# machine's Temurin 25; prints nothing and fails when there is none.
jdk25_home() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    [[ -n $candidate && -x $candidate/bin/java ]] || continue
    # the JDK's release file says its version without starting a JVM (saves ~90 ms per command)
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release" 2>/dev/null)
    if [[ -z $version ]]; then
      version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java.specification.version = //p')
    fi
    if [[ ${version%%.*} =~ ^[0-9]+$ ]] && ((${version%%.*} >= 25)); then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

JDK25_MISSING="JDK 25 or newer is required: install one (e.g. Temurin 25) and set JAVA_HOME to it"
