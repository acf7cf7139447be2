# lib.sh: progress markers, the failure trap, logging and checksums. Shared by the cloud and
# local scripts. Expects CC_LOG and CC_PROGRESS from the target script, and cc_report_failure
# <message>, which tells Claw Cloud about a failure the progress file does not reach it with.

CC_PID=$$
CC_STEP=start
CC_FAILED=0
CC_TMP=""

# Messages leave the machine (the agent forwards the progress file): plain characters only.
cc_clean() {
  printf '%s' "$1" | tr -c 'A-Za-z0-9 ._:/=,()@+-' ' ' | cut -c1-400
}

# One progress event, three ways:
#   stdout (the console):  clawcloud-step: <step> start|ok|failed[ <message>]
#   the log:               the same line after a UTC timestamp
#   CC_PROGRESS:           {"name":"<step>","status":"…","message":"…"}, which the agent forwards
#                          to Claw Cloud as agent/v1 events (the whole file, once it runs)
cc_mark() {
  local line="clawcloud-step: $1 $2" msg=""
  [ -z "${3:-}" ] || line="$line $3"
  printf '%s\n' "$line"
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$line" >>"$CC_LOG" 2>/dev/null || true
  [ -z "${3:-}" ] || msg=",\"message\":\"$(cc_clean "$3")\""
  printf '{"name":"%s","status":"%s"%s}\n' "$1" "$2" "$msg" >>"$CC_PROGRESS" 2>/dev/null || true
}

step() {
  CC_STEP=$1
  cc_mark "$1" start
}

ok() {
  cc_mark "$CC_STEP" ok "$*"
}

# Stop with a reason. (Only in the main shell: in a subshell it just exits, and the main shell's
# ERR trap reports the command that failed.)
die() {
  [ "$BASHPID" = "$CC_PID" ] || exit 1
  CC_FAILED=1
  cc_mark "$CC_STEP" failed "$*"
  cc_mark bootstrap failed "$CC_STEP: $*" >/dev/null
  cc_report_failure "$CC_STEP: $*"
  printf 'clawcloud: bootstrap failed at step "%s": %s\nclawcloud: log: %s; after fixing the cause, re-run: bash %s\n' \
    "$CC_STEP" "$*" "$CC_LOG" "$0" >&2
  exit 1
}

cc_on_err() {
  local rc=$? cmd=$BASH_COMMAND line=${BASH_LINENO[0]}
  [ "$BASHPID" = "$CC_PID" ] || exit "$rc"
  die "command failed (exit $rc, line $line): $cmd"
}

cc_on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ "$CC_FAILED" = 0 ] && [ "$BASHPID" = "$CC_PID" ]; then
    CC_FAILED=1
    cc_mark "$CC_STEP" failed "exited with status $rc"
    cc_mark bootstrap failed "$CC_STEP: exited with status $rc" >/dev/null
    cc_report_failure "$CC_STEP: exited with status $rc"
  fi
  [ -z "$CC_TMP" ] || rm -rf "$CC_TMP"
}

trap cc_on_err ERR
trap cc_on_exit EXIT

# cc_run <what> <command...>: run a command with its output in the log only; on failure show the
# end of the log and stop with "<what> failed".
cc_run() {
  local what=$1 rc=0 from
  shift
  printf '+ %s\n' "$what" >>"$CC_LOG"
  from=$(($(wc -c <"$CC_LOG") + 1))
  "$@" >>"$CC_LOG" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    tail -c "+$from" "$CC_LOG" | tail -n 20 >&2 || true
    die "$what failed (exit $rc)"
  fi
}

# (From stdin: sha256sum escapes file names with a backslash, and then prefixes the hash with one.)
cc_sha256() {
  sha256sum <"$1" | cut -d' ' -f1
}

# cc_verify_sha256 <file> <expected hex> <what>: nothing downloaded is used before this passes.
cc_verify_sha256() {
  local got
  got=$(cc_sha256 "$1") || die "could not compute the sha256 of the $3"
  [ "$got" = "$2" ] || die "$3 checksum mismatch: expected sha256 $2, got $got; refusing to use it"
}
