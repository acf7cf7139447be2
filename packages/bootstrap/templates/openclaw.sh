# openclaw.sh: the install steps the cloud and local scripts share: OpenClaw from npm, onboarding,
# gateway config, the agent bundle (sha256 checked) and its config file.
#
# The target script defines before calling these:
#   CC_NODE          the node binary
#   OC_HOME          OpenClaw's HOME (state in $OC_HOME/.openclaw)
#   OC_PREFIX        its own npm global prefix
#   OC_PKG OC_BIN    $OC_PREFIX/lib/node_modules/openclaw, $OC_PREFIX/bin/openclaw
#   OC_CONFIG        $OC_HOME/.openclaw/openclaw.json
#   OC_LOG_FILE      OpenClaw's log file, or "" for its default (/tmp/openclaw/openclaw-<date>.log)
#   CC_TMP           a private scratch directory
#   AGENT_DIR AGENT_BUNDLE AGENT_CONFIG AGENT_STATE_DIR CC_SUPERVISOR
#   SUPPORT_KEYS: the support key's file; CC_SUPPORT_SUDO=1: written through sudo (cloud, root-owned)
#   oc <cmd...>      run a command as OpenClaw's user, with its HOME and PATH and nothing else
#   oc_npm <args...> run npm that way
#   oc_own <path>    give a path to OpenClaw's user
#   agent_own <path> give a path to the agent's user
#   agent_reload     make a running agent read its config again
#   CC_PROGRESS      the progress file the agent forwards
#   cc_fetch <url> <file>

# Small Node helpers. Values reach them through argv and the environment, never through the code.
CC_JS=$(
  cat <<'JS'
const fs = require("node:fs"), env = process.env, [mode, ...a] = process.argv.slice(1);
const get = (o, p) => p.split(".").reduce((v, k) => v?.[k], o);
const fail = (m) => { console.log(m); process.exit(1); };
const conf = () => { const t = fs.readFileSync(a[0], "utf8"); try { return JSON.parse(t); } catch { return require("node:module").createRequire(`${a[1]}/package.json`)("json5").parse(t); } };
const token = () => { try { const t = get(conf(), "gateway.auth.token"); return /^[0-9a-f]{64}$/.test(t) ? t : ""; } catch { return ""; } };
switch (mode) {
  case "version": console.log(JSON.parse(fs.readFileSync(a[0], "utf8")).version); break;
  case "onboarded": if (get(conf(), "gateway.mode") !== "local") process.exit(1); break;
  case "token": console.log(token()); break;
  case "patch": {
    // The config patch: our gateway token (from the environment), loopback, the OpenAI-compatible
    // endpoint, no auto-update; a log file when one is given.
    const p = { gateway: { mode: "local", bind: "loopback", port: Number(a[0]), auth: { mode: "token", token: env.CC_GATEWAY_TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } }, update: { auto: { enabled: false } } };
    if (a[1]) p.logging = { file: a[1] };
    console.log(JSON.stringify(p));
    break;
  }
  case "check": {
    const want = { "gateway.mode": "local", "gateway.bind": "loopback", "gateway.port": Number(a[2]), "gateway.auth.mode": "token", "gateway.auth.token": env.CC_GATEWAY_TOKEN, "gateway.http.endpoints.chatCompletions.enabled": true, "update.auto.enabled": false };
    const c = conf(), bad = Object.keys(want).filter((k) => get(c, k) !== want[k]);
    if (bad.length) fail(`unexpected ${bad.join(", ")}`);
    break;
  }
  case "agent-config": {
    // Values arrive as key=value arguments; secrets in the environment. The registration token
    // goes in until the agent has spent it and removed it from the file.
    let prev; try { prev = JSON.parse(fs.readFileSync(a[0], "utf8")); } catch {}
    const v = Object.fromEntries(a.slice(1).map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)]));
    const c = { version: 1, instanceId: v.instanceId, serverUrl: v.serverUrl };
    if (!prev || "registrationToken" in prev) c.registrationToken = env.CC_REGISTRATION_TOKEN;
    Object.assign(c, { stateDir: v.stateDir, bootstrapProgressFile: v.progressFile, gateway: { url: v.gatewayUrl } });
    if (env.CC_GATEWAY_TOKEN) c.gateway.token = env.CC_GATEWAY_TOKEN;
    c.openclaw = { home: v.openclawHome, bin: v.openclawBin, version: v.openclawVersion, supervisor: v.supervisor };
    if (v.keys) c.support = env.CC_SUPPORT_SUDO ? { authorizedKeysFile: v.keys, sudo: true, authLog: "journal" } : { authorizedKeysFile: v.keys };
    fs.writeFileSync(`${a[0]}.tmp`, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(`${a[0]}.tmp`, a[0]);
    break;
  }
  default: fail(`unknown helper ${mode}`);
}
JS
)

cc_js() {
  "$CC_NODE" -e "$CC_JS" -- "$@"
}

oc_version() {
  [ -f "$OC_PKG/package.json" ] && [ -e "$OC_BIN" ] && cc_js version "$OC_PKG/package.json" 2>/dev/null
}

openclaw_install() {
  step openclaw-install
  local have
  have=$(oc_version) || have=""
  if [ "$have" = "$CC_OPENCLAW_VERSION" ]; then
    ok "openclaw $have already installed"
    return 0
  fi
  # npm reads this file for every later run too (openclaw update), so a mirror keeps applying.
  {
    printf 'prefix=%s\n' "$OC_PREFIX"
    [ -z "$CC_NPM_REGISTRY" ] || printf 'registry=%s\n' "$CC_NPM_REGISTRY"
    printf 'update-notifier=false\nfund=false\naudit=false\n'
  } >"$OC_HOME/.npmrc"
  oc_own "$OC_HOME/.npmrc"
  local registry=()
  [ -z "$CC_NPM_REGISTRY" ] || registry=(--registry "$CC_NPM_REGISTRY")
  cc_run "npm install -g openclaw@$CC_OPENCLAW_VERSION" \
    oc_npm install -g --prefix "$OC_PREFIX" --no-audit --no-fund "${registry[@]}" "openclaw@$CC_OPENCLAW_VERSION"
  have=$(oc_version) || have=""
  [ "$have" = "$CC_OPENCLAW_VERSION" ] || die "npm left openclaw '${have:-nothing}' installed, expected $CC_OPENCLAW_VERSION"
  ok "openclaw $have"
}

openclaw_onboard() {
  step openclaw-onboard
  if [ -f "$OC_CONFIG" ] && cc_js onboarded "$OC_CONFIG" "$OC_PKG" >/dev/null 2>&1; then
    ok "already onboarded"
    return 0
  fi
  # No model yet (--auth-choice skip): the user's model key arrives later, sealed to the agent.
  cc_run "openclaw onboard" oc "$OC_BIN" onboard --non-interactive --accept-risk --mode local --auth-choice skip \
    --gateway-bind loopback --gateway-port "$CC_GATEWAY_PORT" --gateway-auth token --suppress-gateway-token-output \
    --skip-daemon --skip-health --skip-skills --skip-channels --skip-search --skip-ui --json
  [ -f "$OC_CONFIG" ] || die "openclaw onboard wrote no config at $OC_CONFIG"
  ok
}

# Our own 256-bit gateway token (onboarding makes a 192-bit one), loopback bind, the
# OpenAI-compatible endpoint on, OpenClaw's auto-update off. The token goes in on stdin, so it
# never appears on a command line; a re-run keeps the token already there.
openclaw_config() {
  step openclaw-config
  local token bad patch
  token=$(cc_js token "$OC_CONFIG" "$OC_PKG")
  [ -n "$token" ] || token=$(od -An -vtx1 -N32 /dev/urandom | tr -d ' \n')
  [[ $token =~ ^[0-9a-f]{64}$ ]] || die "could not generate a gateway token"
  patch=$(CC_GATEWAY_TOKEN=$token cc_js patch "$CC_GATEWAY_PORT" "$OC_LOG_FILE")
  cc_run "openclaw config patch" oc "$OC_BIN" config patch --stdin <<<"$patch"
  bad=$(CC_GATEWAY_TOKEN=$token cc_js check "$OC_CONFIG" "$OC_PKG" "$CC_GATEWAY_PORT") || die "OpenClaw config check failed: $bad"
  ok "127.0.0.1:$CC_GATEWAY_PORT, token auth, chat completions on, auto-update off"
}

agent_install() {
  step agent-install
  if [ -f "$AGENT_BUNDLE" ] && [ "$(cc_sha256 "$AGENT_BUNDLE")" = "$CC_AGENT_BUNDLE_SHA256" ]; then
    ok "already installed"
    return 0
  fi
  cc_run "agent bundle download" cc_fetch "$CC_AGENT_BUNDLE_URL" "$CC_TMP/agent.mjs"
  cc_verify_sha256 "$CC_TMP/agent.mjs" "$CC_AGENT_BUNDLE_SHA256" "agent bundle"
  mkdir -p "$AGENT_DIR"
  install -m 0644 "$CC_TMP/agent.mjs" "$AGENT_BUNDLE"
  # The agent updates itself (a verified bundle from the server, swapped in after a trial run).
  agent_own "$AGENT_DIR" "$AGENT_BUNDLE"
  ok "sha256 verified"
}

# write_agent_config: where to register, where the progress file is, and the gateway token read
# back from OpenClaw's config once there is one.
write_agent_config() {
  local token
  token=$(cc_js token "$OC_CONFIG" "$OC_PKG")
  mkdir -p "$(dirname "$AGENT_CONFIG")" "$AGENT_STATE_DIR"
  chmod 0700 "$(dirname "$AGENT_CONFIG")" "$AGENT_STATE_DIR"
  CC_GATEWAY_TOKEN=$token CC_REGISTRATION_TOKEN=$CC_REGISTRATION_TOKEN CC_SUPPORT_SUDO=${CC_SUPPORT_SUDO:-} cc_js agent-config "$AGENT_CONFIG" \
    "instanceId=$CC_INSTANCE_ID" "serverUrl=$CC_SERVER_URL" "gatewayUrl=http://127.0.0.1:$CC_GATEWAY_PORT" \
    "stateDir=$AGENT_STATE_DIR" "progressFile=$CC_PROGRESS" "openclawHome=$OC_HOME" "openclawBin=$OC_BIN" \
    "openclawVersion=$CC_OPENCLAW_VERSION" "supervisor=$CC_SUPERVISOR" \
    "keys=$SUPPORT_KEYS" >/dev/null ||
    die "could not write $AGENT_CONFIG"
  agent_own "$(dirname "$AGENT_CONFIG")" "$AGENT_CONFIG" "$AGENT_STATE_DIR"
}

agent_config() {
  step agent-config
  [ -n "$(cc_js token "$OC_CONFIG" "$OC_PKG")" ] || die "no gateway token in $OC_CONFIG"
  write_agent_config
  agent_reload
  ok "$AGENT_CONFIG"
}
