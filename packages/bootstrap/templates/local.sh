# local.sh: the install steps of the cloud bootstrap without the system-level ones (no apt, no
# users, no systemd, no firewall, no sshd), as the current user, inside CC_INSTALL_DIR. Node comes
# from the caller (CC_NODE, CC_NPM_CLI). It installs and configures; it starts nothing: the local
# provider runs the gateway and the agent as child processes.

export PATH="${CC_NODE%/*}:/usr/local/bin:/usr/bin:/bin"
export LC_ALL=C.UTF-8
umask 077
exec </dev/null

CC_LOG="$CC_INSTALL_DIR/bootstrap.log"
CC_SUPERVISOR=external
OC_HOME="$CC_INSTALL_DIR/home"
OC_PREFIX="$CC_INSTALL_DIR/openclaw"
OC_PKG="$OC_PREFIX/lib/node_modules/openclaw"
OC_BIN="$OC_PREFIX/bin/openclaw"
OC_CONFIG="$OC_HOME/.openclaw/openclaw.json"
OC_TMPDIR="$CC_INSTALL_DIR/tmp"
# Not the shared /tmp/openclaw: every local install keeps its own log.
OC_LOG_FILE="$OC_HOME/.openclaw/logs/openclaw.log"
AGENT_DIR="$CC_INSTALL_DIR/agent"
AGENT_BUNDLE="$AGENT_DIR/clawcloud-agent.mjs"
AGENT_CONFIG="$AGENT_DIR/config.json"
AGENT_STATE_DIR="$AGENT_DIR/state"
CC_PROGRESS="$CC_INSTALL_DIR/progress.jsonl"
# The local provider reads this script's exit status and output itself.
cc_report_failure() { :; }
# No sshd is configured here: the agent only keeps this file (empty unless support access is granted).
SUPPORT_KEYS="$CC_INSTALL_DIR/ssh/authorized_keys"

# Of the caller's environment only the proxy and CA settings pass through (a corporate proxy).
CC_PASS_ENV=()
for v in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR; do
  [ -z "${!v:-}" ] || CC_PASS_ENV+=("$v=${!v}")
done
oc() {
  env -i HOME="$OC_HOME" OPENCLAW_STATE_DIR="$OC_HOME/.openclaw" TMPDIR="$OC_TMPDIR" LANG=C.UTF-8 \
    PATH="$OC_PREFIX/bin:${CC_NODE%/*}:/usr/local/bin:/usr/bin:/bin" "${CC_PASS_ENV[@]}" \
    OPENCLAW_SERVICE_REPAIR_POLICY=external OPENCLAW_NO_AUTO_UPDATE=1 "$@"
}
oc_npm() {
  if [ -n "$CC_NPM_CACHE" ]; then
    oc npm_config_cache="$CC_NPM_CACHE" "$CC_NODE" "$CC_NPM_CLI" "$@"
  else
    oc "$CC_NODE" "$CC_NPM_CLI" "$@"
  fi
}
oc_own() { :; }
agent_own() { :; }
agent_reload() { :; }
# Downloads with Node's fetch: the machine may have no curl.
cc_fetch() {
  # shellcheck disable=SC2016
  "$CC_NODE" -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(900000) })
    .then(async (r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); require("node:fs").writeFileSync(process.argv[2], Buffer.from(await r.arrayBuffer()), { mode: 0o600 }); })
    .catch((e) => { console.error(String(e?.cause?.message ?? e?.message ?? e)); process.exit(1); })' -- "$1" "$2"
}

preflight() {
  step preflight
  [ -x "$CC_NODE" ] || die "no node binary at $CC_NODE"
  [ -f "$CC_NPM_CLI" ] || die "no npm at $CC_NPM_CLI"
  command -v sha256sum >/dev/null || die "sha256sum (coreutils) is missing"
  "$CC_NODE" -e 'const [x, y] = process.versions.node.split(".").map(Number); process.exit((x === 24 && y >= 16) || (x === 26 && y >= 1) || x > 26 ? 0 : 1)' ||
    die "node $("$CC_NODE" --version) is too old for OpenClaw (needs >=24.16 <25 or >=26.1)"
  ok "node $("$CC_NODE" --version), $CC_INSTALL_DIR"
}

main() {
  mkdir -p "$CC_INSTALL_DIR"
  chmod 0700 "$CC_INSTALL_DIR"
  mkdir -p "$OC_HOME" "$OC_PREFIX" "$OC_TMPDIR"
  touch "$CC_LOG" "$CC_PROGRESS"
  CC_TMP=$(mktemp -d "$OC_TMPDIR/bootstrap.XXXXXX")
  if command -v flock >/dev/null; then
    exec 9>"$CC_INSTALL_DIR/bootstrap.lock"
    flock -n 9 || die "another install is already running in $CC_INSTALL_DIR"
  fi
  preflight
  agent_install
  openclaw_install
  openclaw_onboard
  openclaw_config
  agent_config
  step "done"
  ok "install complete in ${SECONDS} s"
  cc_mark bootstrap ok >/dev/null
}

main
