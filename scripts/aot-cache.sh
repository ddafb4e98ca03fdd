#!/usr/bin/env bash
# Builds the JDK's ahead-of-time cache for the packaged app (JEP 483/514/515, JDK 25+): extracts the
# jar into target/app/ (the cache needs plain jars on the class path, not Spring Boot's nested ones)
# and starts it once as a training run that exits when the context has refreshed, against a
# throw-away in-memory database. `java -XX:AOTCache=target/app/app.aot -jar target/app/<jar>` then
# starts in about half the time; `java -jar` works as before, with or without the cache.
# Usage: aot-cache.sh <packaged jar>. Skipped (with a line saying so) on a JDK older than 25.
set -euo pipefail
jar="$1"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
if [ "${major:-0}" -lt 25 ]; then
  echo "aot-cache: JDK $major has no AOT cache (JDK 25+); target/app/ not built"
  exit 0
fi
out="$(dirname "$jar")/app"
rm -rf "$out"
"$java" -Djarmode=tools -jar "$jar" extract --destination "$out" >/dev/null
start=$(date +%s)
# the training run: the app's start-up path, then exit (spring.context.exit); no API key, so the
# demo model; nothing it stores outlives it
"$java" -XX:AOTCacheOutput="$out/app.aot" -Xlog:aot=error -Dspring.context.exit=onRefresh \
  -jar "$out/$(basename "$jar")" \
  --spring.datasource.url="jdbc:h2:mem:aot-training" --server.port=0 \
  --logging.level.root=WARN --spring.main.banner-mode=off > "$out/training.log" 2>&1 \
  || { echo "aot-cache: training run failed, see $out/training.log"; exit 1; }
echo "aot-cache: $out/app.aot ($(du -h "$out/app.aot" | cut -f1)) in $(( $(date +%s) - start )) s"
