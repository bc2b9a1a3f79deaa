#!/usr/bin/env bash
# Checks a dry-run deployment of the release (see the 'release' profile in pom.xml):
#   mvn -B -Prelease -Dgpg.skip -DskipTests deploy -DaltDeploymentRepository=dry-run::file:target/dry-run-repo
# Every library module must be there with its jar, sources jar, javadoc jar and pom, each with md5 and
# sha1 checksums that match; the parent and the BOM poms too; examples, benchmarks, test-support and
# coverage must not be; the poms carry what Maven Central requires; the jars carry LICENSE, NOTICE and
# Implementation-Version.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=${1:-target/dry-run-repo}/io/jgrad
fail() { echo "check-release: $*" >&2; exit 1; }
[ -d "$REPO" ] || fail "no deployment under $REPO"
VERSION=$(sed -n '0,/<version>/s|.*<version>\(.*\)</version>.*|\1|p' pom.xml)
BOM_VERSION=$(sed -n '0,/<version>/s|.*<version>\(.*\)</version>.*|\1|p' bom/pom.xml)
[ "$VERSION" = "$BOM_VERSION" ] || fail "bom/pom.xml has version $BOM_VERSION, the parent $VERSION"

# checksums: every file with a .md5 and a .sha1 that match it
check_sums() {
  local f=$1
  [ -f "$f.md5" ] && [ -f "$f.sha1" ] || fail "$f lacks its checksums"
  [ "$(md5sum "$f" | cut -d' ' -f1)" = "$(cat "$f.md5")" ] || fail "$f.md5 does not match"
  [ "$(sha1sum "$f" | cut -d' ' -f1)" = "$(cat "$f.sha1")" ] || fail "$f.sha1 does not match"
}
# the newest file of a kind in an artifact's version folder (snapshots carry a timestamp)
newest() { ls -1 "$1"/$2 2>/dev/null | grep -v -E '\.(md5|sha1|asc)$' | sort | tail -1; }

for a in jgrad-parent jgrad-bom; do
  pom=$(newest "$REPO/$a/$VERSION" "$a-*.pom"); [ -n "$pom" ] || fail "$a: no pom"
  check_sums "$pom"
done
PARENT=$(newest "$REPO/jgrad-parent/$VERSION" "jgrad-parent-*.pom")
for tag in '<licenses>' '<developers>' '<scm>' '<url>' '<description>' '<name>'; do
  grep -q "$tag" "$PARENT" || fail "the parent pom lacks $tag"
  grep -q "$tag" "$(newest "$REPO/jgrad-bom/$VERSION" "jgrad-bom-*.pom")" || fail "the BOM lacks $tag"
done

MODULES="core autograd layers optim train charts models onnx spark"
for m in $MODULES; do
  d="$REPO/jgrad-$m/$VERSION"
  [ -d "$d" ] || fail "jgrad-$m was not deployed"
  for kind in ".jar" "-sources.jar" "-javadoc.jar" ".pom"; do
    f=$(ls -1 "$d" | grep -E "^jgrad-$m-[0-9].*[0-9]$kind\$" | sort | tail -1)
    [ -n "$f" ] || fail "jgrad-$m lacks its $kind"
    check_sums "$d/$f"
  done
  pom=$(ls -1 "$d"/jgrad-$m-*.pom | sort | tail -1)
  for tag in '<name>' '<description>' '<parent>'; do grep -q "$tag" "$pom" || fail "jgrad-$m's pom lacks $tag"; done
  grep -q "<artifactId>jgrad-$m</artifactId>" "$(newest "$REPO/jgrad-bom/$VERSION" "jgrad-bom-*.pom")" \
    || fail "the BOM does not list jgrad-$m"
  jar=$(ls -1 "$d" | grep -E "^jgrad-$m-[0-9].*[0-9]\.jar\$" | sort | tail -1)
  list=$(unzip -l "$d/$jar")
  grep -q "META-INF/LICENSE" <<< "$list" || fail "jgrad-$m's jar lacks META-INF/LICENSE"
  grep -q "META-INF/NOTICE" <<< "$list" || fail "jgrad-$m's jar lacks META-INF/NOTICE"
  manifest=$(unzip -p "$d/$jar" META-INF/MANIFEST.MF)
  grep -q "Implementation-Version: $VERSION" <<< "$manifest" \
    || fail "jgrad-$m's manifest lacks Implementation-Version: $VERSION"
  src=$(ls -1 "$d" | grep -E -- "-sources\.jar\$" | sort | tail -1)
  srcs=$(unzip -l "$d/$src")
  grep -q '\.java$' <<< "$srcs" || fail "jgrad-$m's sources jar holds no .java file"
  doc=$(ls -1 "$d" | grep -E -- "-javadoc\.jar\$" | sort | tail -1)
  docs=$(unzip -l "$d/$doc")
  grep -q 'index.html' <<< "$docs" || fail "jgrad-$m's javadoc jar holds no index.html"
done
for skipped in examples benchmarks test-support coverage; do
  [ ! -e "$REPO/jgrad-$skipped" ] || fail "jgrad-$skipped must not be deployed"
done
# the examples print the built version
if [ -f examples/target/jgrad-examples.jar ]; then
  printed=$(java -jar examples/target/jgrad-examples.jar --version)
  grep -q "jgrad examples $VERSION" <<< "$printed" \
    || fail "the examples jar does not print version $VERSION"
fi
echo "check-release: $(echo $MODULES | wc -w) library modules, the parent and the BOM deployed with sources, javadoc, checksums and metadata (version $VERSION)"
