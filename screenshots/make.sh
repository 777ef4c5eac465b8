#!/usr/bin/env bash
# Regenerates the README screenshots of the lumodash dashboard: builds lumodash, runs it on the
# embedded default (embedded LumoAuth devserver, financial MCP server and offline demo model) in
# a private tmux server at a fixed size, types like a user (waiting for known text before each
# key), captures the screen with colours (tmux capture-pane -e) and renders each capture to PNG
# with xterm.js in Debian's headless Chromium (render.js, playwright-core; no browser download).
#
# usage: screenshots/make.sh [SHOT ...]     SHOT: overview trace exchange-details denial jit budget narrow help compare
#                                           (default: all); writes screenshots/SHOT.png
# env:   FONTSIZE (default 24)  KEEP=1 keeps the work dir (captures as .ans) and prints its path
# Installs what is missing: tmux, chromium, fonts-jetbrains-mono, node/npm (apt, Debian), and the
# npm packages of package.json into screenshots/node_modules (ignored by git).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
all=(overview trace exchange-details denial jit budget narrow help compare)
shots=("$@"); [ ${#shots[@]} -gt 0 ] || shots=("${all[@]}")
for s in "${shots[@]}"; do
  case " ${all[*]} " in *" $s "*) ;; *) echo "unknown shot '$s' (choose from: ${all[*]})" >&2; exit 2 ;; esac
done

# ---- tools -------------------------------------------------------------------------------------
missing=()
command -v tmux >/dev/null || missing+=(tmux)
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-jetbrains-mono 2>/dev/null | grep -q 'ok installed' || missing+=(fonts-jetbrains-mono)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || { echo "please install: ${missing[*]} (Debian package names)" >&2; exit 1; }
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "installing ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
if [ ! -d "$here/node_modules/@xterm/addon-unicode11" ] || [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm install --no-audit --no-fund)
fi
command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { echo "Go is needed to build lumodash: see https://go.dev/doc/install" >&2; exit 1; }

# ---- build, and a clean environment: embedded default only, nothing of the user's ----------------
work=$(mktemp -d /tmp/lumodash-shots.XXXXXX)
T=(tmux -S "$work/tmux.sock" -f "$work/tmux.conf") # private server, gone with $work
cleanup() {
  "${T[@]}" kill-server 2>/dev/null || true
  if [ "${KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
printf 'set -g remain-on-exit on\nset -g history-limit 10000\nset -g status off\n' > "$work/tmux.conf"
echo "building lumodash"
(cd "$root" && go build -o "$work/lumodash" .)
unset OPENAI_API_KEY OPENAI_BASE_URL LUMOAUTH_URL LUMOAUTH_ORG_ID LUMOAUTH_TENANT \
  AGENT_CLIENT_ID AGENT_CLIENT_SECRET NO_COLOR
export XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" TZ=UTC
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"

# ---- driving the dashboard -------------------------------------------------------------------------
# start NAME COLS ROWS LUMODASH_ARGS... : run lumodash in its own tmux session of that size.
start() {
  local name=$1 cols=$2 rows=$3; shift 3
  "${T[@]}" new-session -d -s "$name" -x "$cols" -y "$rows" -c "$work" \
    -e TERM=xterm-256color -e COLORTERM=truecolor \
    "$work/lumodash" --env-file "$work/no.env" "$@"
}
screen() { "${T[@]}" capture-pane -p -t "$1"; }
# wait_for NAME REGEX [SECONDS]: until REGEX is on screen; fails (showing the screen) on timeout
# or when lumodash has exited.
wait_for() {
  local name=$1 re=$2 deadline=$((SECONDS + ${3:-30})) s
  while [ $SECONDS -lt $deadline ]; do
    s=$(screen "$name"); grep -Eq -- "$re" <<<"$s" && return 0
    if [ "$("${T[@]}" display-message -p -t "$name" '#{pane_dead}')" = 1 ]; then
      echo "lumodash exited while waiting for /$re/:" >&2; screen "$name" >&2; exit 1
    fi
    sleep 0.2
  done
  echo "timed out waiting for /$re/ in $name:" >&2; screen "$name" >&2; exit 1
}
keys() { local name=$1; shift; for k in "$@"; do "${T[@]}" send-keys -t "$name" "$k"; sleep 0.15; done; }
# ask NAME: insert the suggested seed prompt (→ on the empty prompt) and send it.
ask() {
  wait_for "$1" '› Search documents'; sleep 0.5
  keys "$1" Right; sleep 0.3; keys "$1" Enter; wait_for "$1" '⚙|you ›' 30
}
# trace NAME QUERY: focus the log, search it for QUERY (keeping the search) and open the trace
# of the tool call of the newest row found.
trace() {
  local name=$1 query=$2 i
  keys "$name" Tab Tab /
  for ((i = 0; i < ${#query}; i++)); do keys "$name" "${query:i:1}"; done
  keys "$name" Enter Enter; wait_for "$name" 'Trace · ' 10
}
renders=()
# shot NAME OUT: capture the screen as it is now, to be rendered as screenshots/OUT.png.
shot() {
  local name=$1 out=$2 size
  sleep 0.4 # let the last frame be drawn
  "${T[@]}" capture-pane -e -p -t "$name" > "$work/$out.ans"
  size=$("${T[@]}" display-message -p -t "$name" '#{pane_width} #{pane_height}')
  renders+=("$work/$out.ans" "$here/$out.png" ${size})
  echo "captured $out"
}
want() { local s; for s in "${shots[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

# ---- the shots -------------------------------------------------------------------------------------
final='\$4\.21M' # the seed prompt's answer: Acme Corp's Q3 2026 EBITDA
if want overview || want trace || want exchange-details; then
  start research 120 36 --agent research-analyst
  ask research; wait_for research "$final" 60; wait_for research 'MODEL .*turn 2' 10; sleep 1
  want overview && shot research overview
  if want trace || want exchange-details; then
    trace research XCHG # the exchange's step selected
    want trace && shot research trace
    if want exchange-details; then keys research Enter; wait_for research 'XCHG · details' 10; shot research exchange-details; fi
  fi
fi
if want denial; then
  start junior 120 36 --agent junior-analyst --jit off
  ask junior; wait_for junior 'DENY' 60; wait_for junior 'answer is incomplete|denied' 60; sleep 1.5
  shot junior denial
fi
if want jit; then
  # --jit ask (the default): confirm the request, then the embedded operator's approval dialog.
  start jit 120 36 --agent junior-analyst
  ask jit; wait_for jit 'Request just-in-time access' 60; sleep 1.2; keys jit y
  wait_for jit 'approval needed' 30; wait_for jit 'ctrl\+c cancels the request' 10
  shot jit jit
fi
if want budget; then
  start capped 120 36 --agent capped-analyst
  ask capped; wait_for capped 'Budget exhausted' 60
  keys capped Escape; wait_for capped 'STOPPED' 10 # the gauge that stopped the session, and why
  shot capped budget
fi
if want narrow; then
  start narrow 80 24 --agent research-analyst
  ask narrow; wait_for narrow "$final" 60; sleep 1.5
  shot narrow narrow
fi
if want help; then
  start help 120 36 --agent research-analyst
  wait_for help '› Search documents'; sleep 0.5; keys help Tab; keys help '?'; sleep 0.5
  shot help help
fi
if want compare; then
  # compare mode: the seed prompt sent once to research-analyst (left) and junior-analyst (right),
  # each log filtered to the gate: the allowed financial query beside its denial.
  start compare 160 48 --compare research-analyst,junior-analyst --jit off
  ask compare; wait_for compare "$final" 60; wait_for compare 'answer is incomplete' 60; sleep 1.5
  keys compare Tab Tab t Tab Tab t Escape; sleep 0.5
  shot compare compare
fi

node "$here/render.js" "${renders[@]}"
