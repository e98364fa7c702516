#!/usr/bin/env bash
# Checks deploy/ as a Debian server would load it (CI, .ci/run): the systemd units with
# `systemd-analyze verify`, the nginx site with `nginx -t` inside a throwaway main configuration
# (a self-signed certificate in place of certbot's). Paths under /opt/nhiemvu and
# /etc/nhiemvu/env are pointed at this checkout and a sample env file, since verify insists that
# ExecStart's program exists. Installs nginx-light when nginx is missing (apt, ~15 s).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d /tmp/nhiemvu-deploy-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

[ -x .venv/bin/gunicorn ] || { echo "run make .venv/.synced first" >&2; exit 1; }
if ! command -v systemd-analyze >/dev/null 2>&1 || ! command -v nginx >/dev/null 2>&1 \
    || ! command -v openssl >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    systemd nginx-light openssl >/dev/null
fi

echo "--- systemd-analyze verify"
mkdir -p "$work/units"
cp deploy/systemd/env.example "$work/env"
for unit in deploy/systemd/*.service deploy/systemd/*.timer; do
  sed -e "s#/opt/nhiemvu#$root#g" -e "s#/etc/nhiemvu/env#$work/env#g" "$unit" \
    >"$work/units/$(basename "$unit")"
done
# verify prints problems and exits non-zero on errors; warnings (it reads a few of the host's
# own units too, which may complain in a container) are shown, and any line naming one of ours
# fails the check.
out=$(cd "$work/units" && systemd-analyze verify --man=no ./*.service ./*.timer 2>&1) || {
  echo "$out"; exit 1; }
if printf '%s\n' "$out" | grep -F "nhiemvu-" ; then exit 1; fi
echo "units: ok ($(ls "$work/units" | tr '\n' ' '))"

echo "--- nginx -t"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=nhiemvu.example.gov.vn" \
  -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null
sed -e "s#/etc/letsencrypt/live/nhiemvu.example.gov.vn#$work#g" \
    -e "s#/var/log/nginx#$work#g" deploy/nginx/nhiemvu.conf >"$work/site.conf"
cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    access_log off;
    include $work/site.conf;
}
CONF
nginx -t -q -c "$work/nginx.conf" -p "$work"
echo "nginx site: ok"
