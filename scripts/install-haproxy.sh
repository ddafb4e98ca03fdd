#!/usr/bin/env bash
# Installs Debian's HAProxy for the benchmark's scenario 7 (two nodes behind deploy/haproxy.cfg),
# if it is missing. Only from Debian's packages; not needed by ./mvnw verify.
set -euo pipefail
if [ -x /usr/sbin/haproxy ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installing haproxy from Debian's packages…"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends haproxy >/dev/null
/usr/sbin/haproxy -v | head -1
