#!/bin/bash
# Dry run of the cloud bootstrap on this machine (not a unit test: it installs the real OpenClaw
# from npm, ~2-3 minutes). The real rendered bootstrap.sh runs as root in a private mount
# namespace where /etc /var /opt /root /home /usr/local /run are overlays (nothing is written to
# the host) and the commands that would change the host (apt-get, systemctl, ufw, swapon, mkswap,
# fallocate, sysctl, journalctl) are stubs; the fake systemctl starts a unit's ExecStart as its
# User= with its Environment=. It exercises every step, the OpenClaw and agent install, the gateway
# start and readiness, a second (idempotent) run, and prints the resulting state.
#
# Not covered (needs a real VM or container with systemd): apt, ufw, fail2ban, sshd, swap, and the
# unit files' sandboxing. The gateway listens on 127.0.0.1:18789 of the host's network while it runs.
#
# Needs: Linux, root, unshare, overlayfs, xz, curl, node ≥ 24.16 and npm on PATH, network access to
# the npm registry. Usage: sudo bash packages/bootstrap/scripts/dry-run-cloud.sh   (KEEP=1 keeps the work dir)
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
if ss -Hltn 'sport = :18789' | grep -q .; then echo "port 18789 is in use" >&2; exit 1; fi
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
W=$(mktemp -d /tmp/cc-dry-run.XXXXXX)
SERVER_PID=""
cleanup() {
  [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
  if [ "${KEEP:-}" = 1 ]; then echo "work dir kept: $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT

NODE=$(command -v node)
NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
VERSION=$("$NODE" -p process.versions.node)
echo "== a Node.js tarball in the official layout (node $VERSION, npm from $NPM_DIR)"
P="$W/pkg/node-v$VERSION-linux-x64"
mkdir -p "$P/bin" "$P/lib/node_modules" "$W/dist/v$VERSION" "$W/stubs"
cp "$NODE" "$P/bin/node"
cp -a "$NPM_DIR" "$P/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$P/bin/npm"
# npm's built-in config: the CA bundle of this machine (a proxy may re-sign TLS here).
[ -z "${NODE_EXTRA_CA_CERTS:-}" ] || printf 'cafile=%s\n' "$NODE_EXTRA_CA_CERTS" >"$P/lib/node_modules/npm/npmrc"
tar -C "$W/pkg" -cJf "$W/dist/v$VERSION/node-v$VERSION-linux-x64.tar.xz" "node-v$VERSION-linux-x64"
NODE_SHA=$(sha256sum <"$W/dist/v$VERSION/node-v$VERSION-linux-x64.tar.xz" | cut -d' ' -f1)
AGENT="$ROOT/apps/agent/dist/clawcloud-agent.js"
if [ -f "$AGENT" ]; then cp "$AGENT" "$W/dist/agent.js"; else echo 'console.log("agent"); setInterval(() => {}, 1e6);' >"$W/dist/agent.js"; fi
AGENT_SHA=$(sha256sum <"$W/dist/agent.js" | cut -d' ' -f1)

echo "== a static file server on loopback"
"$NODE" -e '
const http = require("node:http"), fs = require("node:fs"), path = require("node:path");
const root = process.argv[1];
const server = http.createServer((req, res) => {
  const file = path.join(root, path.normalize(decodeURIComponent(req.url.split("?")[0])));
  fs.createReadStream(file).on("error", () => res.writeHead(404).end()).pipe(res);
});
server.listen(0, "127.0.0.1", () => fs.writeFileSync(path.join(root, "..", "port"), String(server.address().port)));
' "$W/dist" &
SERVER_PID=$!
for _ in $(seq 1 50); do [ -s "$W/port" ] && break; sleep 0.1; done
PORT=$(cat "$W/port")

echo "== render()"
# shellcheck disable=SC2016 # JavaScript, not shell
(cd "$ROOT" && "$NODE" --input-type=module -e '
import { writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";
import { render } from "@clawcloud/bootstrap";
const [dir, port, version, nodeSha, agentSha] = process.argv.slice(1);
const r = render({
  instanceId: "ins_00000000000000000000dryrun", serverUrl: "https://claw.invalid",
  registrationToken: "dry-run-registration-token-0123456789abcdefgh",
  agentBundleUrl: `http://127.0.0.1:${port}/agent.js`, agentBundleSha256: agentSha,
  openclawVersion: process.env.OPENCLAW_VERSION ?? "2026.9.6", nodeVersion: version, nodeTarballSha256: nodeSha,
  swapMb: 0, mirrors: { nodeDistUrl: `http://127.0.0.1:${port}` },
  userSshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN/Cr3JXqmLW7u+g9pTh+wyqDHpSQEIQczXkVx9q it'\''s $(me)",
  sshAllowFrom: ["203.0.113.0/24"],
});
console.log(`user-data: ${r.bytes} bytes`);
for (const f of parse(r.userData).write_files) {
  const body = f.encoding === "gz+b64" ? gunzipSync(Buffer.from(f.content, "base64")).toString() : f.content;
  writeFileSync(`${dir}/${f.path.split("/").pop()}`, body);
}
' "$W" "$PORT" "$VERSION" "$NODE_SHA" "$AGENT_SHA")

echo "== stubs"
cat >"$W/stubs/systemctl" <<'EOF'
#!/bin/bash
# systemctl stand-in: start/stop/restart/is-active/is-failed for units in /etc/systemd/system.
R=/run/fake-systemd
mkdir -p "$R"
echo "systemctl $*" >>"$R/calls.log"
unit() { if [[ $1 == *.service ]]; then echo "$1"; else echo "$1.service"; fi; }
running() { [ -f "$R/$1.pid" ] && kill -0 "$(cat "$R/$1.pid")" 2>/dev/null; }
start() {
  local u f user exec wd env=()
  u=$(unit "$1")
  f=/etc/systemd/system/$u
  [ -f "$f" ] || return 5
  running "$u" && return 0
  user=$(sed -n 's/^User=//p' "$f")
  exec=$(sed -n 's/^ExecStart=//p' "$f")
  wd=$(sed -n 's/^WorkingDirectory=//p' "$f")
  while IFS= read -r e; do env+=("$e"); done < <(sed -n 's/^Environment=//p' "$f")
  # shellcheck disable=SC2086
  (exec 9>&-; cd "${wd:-/}" && exec runuser -u "$user" -- env -i "${env[@]}" $exec) >>"$R/$u.out" 2>&1 &
  echo $! >"$R/$u.pid"
}
stop() { local u; u=$(unit "$1"); [ ! -f "$R/$u.pid" ] || kill "$(cat "$R/$u.pid")" 2>/dev/null || true; rm -f "$R/$u.pid"; }
args=()
for a in "$@"; do [ "$a" = --quiet ] || args+=("$a"); done
case ${args[0]} in
  start) start "${args[1]}" ;;
  restart) stop "${args[1]}"; sleep 0.5; start "${args[1]}" ;;
  stop) stop "${args[1]}" ;;
  is-active) running "$(unit "${args[1]}")" ;;
  is-failed) u=$(unit "${args[1]}"); [ -f "$R/$u.pid" ] && ! running "$u" ;;
  *) exit 0 ;;
esac
EOF
for c in apt-get ufw journalctl sysctl swapon mkswap fallocate; do
  printf '#!/bin/bash\necho "%s $*" >>/run/fake-systemd/calls.log\n' "$c" >"$W/stubs/$c"
done
printf '#!/bin/bash\nexit 1\n' >"$W/stubs/dpkg-query"
chmod +x "$W"/stubs/*

echo "== the bootstrap, twice, in a private mount namespace"
cat >"$W/in-namespace.sh" <<'EOF'
#!/bin/bash
set -u
W=$1
for d in etc var opt root home usr/local run; do
  mkdir -p "$W/ovl/$d/u" "$W/ovl/$d/w"
  mount -t overlay overlay -o "lowerdir=/$d,upperdir=$W/ovl/$d/u,workdir=$W/ovl/$d/w" "/$d" || exit 90
done
mkdir -p /usr/local/sbin /var/lib/clawcloud /etc/ssh/sshd_config.d /run/fake-systemd /root/.ssh /home/debian/.ssh
cp "$W"/stubs/* /usr/local/sbin/
install -m 0600 "$W/values.sh" /var/lib/clawcloud/values.sh
install -m 0700 "$W/bootstrap.sh" /var/lib/clawcloud/bootstrap.sh
install -m 0644 "$W/01-clawcloud.conf" /etc/ssh/sshd_config.d/01-clawcloud.conf
echo "ssh-ed25519 AAAA provider-key" >/root/.ssh/authorized_keys
echo "ssh-ed25519 AAAA provider-key" >/home/debian/.ssh/authorized_keys
rc=0
for run in 1 2; do
  echo "--- run $run"
  bash /var/lib/clawcloud/bootstrap.sh || rc=$?
done
echo "--- state"
ls -l /root/.ssh /home/debian/.ssh /home/claw/.ssh
grep '^root:' /etc/shadow | cut -d: -f1,2 | cut -c1-8
stat -c '%A %U:%G %n' /etc/clawcloud-agent /etc/clawcloud-agent/config.json /var/lib/openclaw /var/lib/clawcloud-agent /var/lib/clawcloud/progress.jsonl /etc/sudoers.d/clawcloud-agent
sed 's/"token": "[0-9a-f]*"/"token": "<64 hex>"/' /etc/clawcloud-agent/config.json
ss -Hltn 'sport = :18789'
curl -fsS http://127.0.0.1:18789/readyz; echo
tail -n 3 /run/fake-systemd/clawcloud-agent.service.out
for p in /run/fake-systemd/*.pid; do kill "$(cat "$p")" 2>/dev/null; done
sleep 6
exit "$rc"
EOF
unshare -m bash "$W/in-namespace.sh" "$W"
