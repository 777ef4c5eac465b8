#!/usr/bin/env bash
# End-to-end check of the dashboard as a user sees it: builds lumodash, runs it in a private tmux
# server on the embedded default (embedded devserver with known client secrets from a temporary
# YAML, embedded financial MCP server, offline demo model), types the seed prompt, and checks the
# final answer, the gate rows of the log, a tool call's trace and the details dialogs, the log's
# search and filters, quitting, a narrow terminal, the
# "too small" notice and compare mode (two agents side by side, then stacked). Every screen it reads (and the session transcript) is searched for the
# client secrets and for anything that looks like a JWT: none may appear.
# Needs only Go and tmux. usage: .ci/e2e-tui.sh   (env: E2E_KEEP=1 keeps the work dir)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { echo "e2e-tui: go is not installed" >&2; exit 1; }
command -v tmux >/dev/null || { echo "e2e-tui: tmux is not installed" >&2; exit 1; }

work=$(mktemp -d /tmp/lumodash-e2e.XXXXXX)
T=(tmux -S "$work/tmux.sock" -f "$work/tmux.conf") # private server, gone with $work
cleanup() {
  "${T[@]}" kill-server 2>/dev/null || true
  if [ "${E2E_KEEP:-}" = 1 ]; then echo "e2e-tui: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
printf 'set -g remain-on-exit on\nset -g history-limit 10000\nset -g status off\n' > "$work/tmux.conf"

echo "e2e-tui: building lumodash"
(cd "$root" && go build -o "$work/lumodash" .)

# Known secrets, fresh per run, so the leak check can search for them literally.
rand() { od -An -tx1 -N12 /dev/urandom | tr -d ' \n'; }
declare -A secret=(
  [research-analyst]="e2e-research-$(rand)" [junior-analyst]="e2e-junior-$(rand)"
  [capped-analyst]="e2e-capped-$(rand)" [operator]="e2e-operator-$(rand)"
)
cat > "$work/devserver.yaml" <<EOF
organization: acme-corp
organization_name: Acme Corp
agents:
  - client_id: research-analyst
    client_secret: ${secret[research-analyst]}
    name: Research Analyst
    capabilities: [read:documents, mcp:financial]
    budget: {max_tokens_per_day: 100000, tokens_used_today: 15234, max_api_calls_per_hour: 500}
  - client_id: junior-analyst
    client_secret: ${secret[junior-analyst]}
    name: Junior Analyst
    capabilities: [read:documents]
    budget: {max_tokens_per_day: 50000, tokens_used_today: 4120, max_api_calls_per_hour: 200}
  - client_id: capped-analyst
    client_secret: ${secret[capped-analyst]}
    name: Capped Analyst
    capabilities: [read:documents, mcp:financial]
    budget: {max_tokens_per_day: 100000, tokens_used_today: 99000, max_api_calls_per_hour: 500}
  - client_id: operator
    client_secret: ${secret[operator]}
    name: Acme Security Operator
    identity_type: user
    capabilities: [jit.approve]
resources:
  - {audience: "urn:mcp:financial-data", capability: "mcp:financial", scope: "financial:read"}
jit_rules:
  - {capability: "mcp:financial", risk: high}
EOF
printf 'devserver: %s\n' "$work/devserver.yaml" > "$work/config.yaml"

# Only the embedded default: nothing of the caller's environment, config or state.
unset OPENAI_API_KEY OPENAI_BASE_URL LUMOAUTH_URL LUMOAUTH_ORG_ID LUMOAUTH_TENANT \
  AGENT_CLIENT_ID AGENT_CLIENT_SECRET NO_COLOR
export XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
frames="$work/frames.txt" # every screen read, for the leak check
: > "$frames"

current=
fail() {
  echo "e2e-tui: FAIL: $*" >&2
  if [ -n "$current" ]; then
    echo "---- last screen of $current:" >&2
    "${T[@]}" capture-pane -p -t "$current" >&2 2>/dev/null || true
  fi
  exit 1
}
start() { # start NAME COLS ROWS ARGS...
  local name=$1 cols=$2 rows=$3; shift 3
  current=$name
  "${T[@]}" new-session -d -s "$name" -x "$cols" -y "$rows" -c "$work" \
    -e TERM=xterm-256color -e COLORTERM=truecolor \
    sh -c 'st=$1; shift; "$@"; echo $? > "$st"' sh "$work/$name.status" \
    "$work/lumodash" --config "$work/config.yaml" --env-file "$work/no.env" "$@"
}
screen() { "${T[@]}" capture-pane -p -t "$1" | tee -a "$frames"; }
dead() { [ "$("${T[@]}" display-message -p -t "$1" '#{pane_dead}')" = 1 ]; }
wait_for() { # wait_for NAME SECONDS REGEX: until REGEX is on screen
  local name=$1 deadline=$((SECONDS + $2)) re=$3 s
  while [ $SECONDS -lt $deadline ]; do
    s=$(screen "$name"); grep -Eq -- "$re" <<<"$s" && return 0
    dead "$name" && fail "lumodash exited while waiting for /$re/"
    sleep 0.3
  done
  fail "timed out after $2 s waiting for /$re/"
}
keys() { local name=$1 k; shift; for k in "$@"; do "${T[@]}" send-keys -t "$name" "$k"; sleep 0.15; done; }
ask_seed() { # insert the suggested seed prompt (→ on the empty prompt) and send it
  wait_for "$1" 60 '› Search documents'; sleep 0.5
  keys "$1" Right; sleep 0.3; keys "$1" Enter
  wait_for "$1" 30 'you ›|⚙'
}
conversation_top() { # the screen with the conversation scrolled to its start; focus back on the prompt
  keys "$1" Tab g; sleep 0.3
  screen "$1"
  keys "$1" Escape
}
quit_and_check() { # quit_and_check NAME KEY...: the keys must end lumodash, with status 0
  local name=$1 i status; shift
  keys "$name" "$@"
  # The pane's sh writes lumodash's exit status once it has waited for it: the process is gone.
  for i in $(seq 100); do [ -s "$work/$name.status" ] && break; sleep 0.2; done
  [ -s "$work/$name.status" ] || fail "lumodash still running 20 s after $*"
  status=$(cat "$work/$name.status")
  [ "$status" = 0 ] || fail "lumodash exited with status $status after $*"
  echo "e2e-tui: $name quit with $* (exit status 0)"
}

# 1. 120x36: the seed prompt as research-analyst, end to end.
start wide 120 36 --agent research-analyst
wait_for wide 60 'research-analyst.*acme-corp'
ask_seed wide
wait_for wide 90 'EBITDA.*\$4\.21M'
wait_for wide 20 'MODEL .*turn 2'
s=$(screen wide)
for re in 'CAP +#call_[a-z0-9_]+ mcp:financial → allow' 'XCHG +#call_[a-z0-9_]+ urn:mcp:financial-data' \
          'MCP +#call_[a-z0-9_]+ financial-data get_metric → ok' '✓ mcp:financial'; do
  grep -Eq -- "$re" <<<"$s" || fail "expected /$re/ on the screen after the answer"
done
# The tool calls stand above the answer: scroll the conversation to its start to see them.
grep -Eq 'query_financial_mcp\(.*✓ allowed' <<<"$(conversation_top wide)" || fail "the allowed tool call is not marked in the conversation"
echo "e2e-tui: answer \$4.21M with CAP/XCHG/MCP rows in the log"

# The exchange's trace, found by searching the log: / XCHG enter leaves its rows; Enter opens the
# trace of its tool call (the waterfall, the exchange's step selected), Enter again its details.
keys wide Tab Tab / X C H G Enter; sleep 0.3
grep -Eq 'Log · all · /XCHG · [0-9]+ of [0-9]+' <<<"$(screen wide)" || fail "the log title does not show the search"
keys wide Enter; sleep 0.3
t=$(screen wide)
grep -q 'Trace · query_financial_mcp · call_' <<<"$t" || fail "Enter on the XCHG row opened no trace of its call"
for re in 'step +status +start +took 0 ─+ [0-9.]+m?s' 'check +allow mcp:financial' 'exchange +new · fp [0-9a-f]{8}' \
          'MCP get_metric +ok · HTTP 200' 'result +✓ allowed' '█'; do
  grep -Eq -- "$re" <<<"$t" || fail "the trace lacks /$re/"
done
keys wide Enter; sleep 0.3
d=$(screen wide)
grep -q 'XCHG · details' <<<"$d" || fail "Enter in the trace opened no details of the exchange"
for re in 'audience +urn:mcp:financial-data' 'subject token +fingerprint [0-9a-f]{8}' 'issued token +fingerprint [0-9a-f]{8}' 'lifetime +5m'; do
  grep -Eq -- "$re" <<<"$d" || fail "exchange details lack /$re/"
done
keys wide Escape; keys wide y; sleep 0.2
grep -q 'copied the trace of call_' <<<"$(screen wide)" || fail "y in the trace did not say what it copied"
keys wide Escape Escape t; sleep 0.3
grep -Eq 'Log · gate · [0-9]+ of [0-9]+' <<<"$(screen wide)" || fail "t did not apply the gate filter"
keys wide T; sleep 0.2
echo "e2e-tui: searched the log, opened the call's trace and the exchange's details, copied the trace, filtered the gate"

# Open every log row: a row of a tool call opens its trace, any other its details.
s=$(screen wide)
rows=$(grep -Eo 'Log · all · [0-9]+ rows' <<<"$s" | grep -Eo '[0-9]+' || true)
[ -n "$rows" ] || fail "no row count in the log title"
traces=0
for _ in $(seq "$rows"); do
  keys wide Up Enter; sleep 0.3
  d=$(screen wide)
  if grep -q 'Trace · ' <<<"$d"; then traces=$((traces + 1))
  else grep -q '· details' <<<"$d" || fail "Enter on a log row opened neither a trace nor details"; fi
  keys wide Escape
done
[ "$traces" -gt 0 ] || fail "walked $rows log rows without opening a trace"
echo "e2e-tui: opened $rows log rows ($traces traces)"
quit_and_check wide q

# 2. The same prompt as junior-analyst (no mcp:financial): denied at the gate without JIT;
#    with JIT, requested, approved as the embedded operator, answered. Then as capped-analyst
#    (daily budget nearly spent): the budget dialog.
start junior 120 36 --agent junior-analyst --jit off
ask_seed junior
wait_for junior 90 'CAP +#call_[a-z0-9_]+ mcp:financial → DENY'
wait_for junior 60 'answer is incomplete'
grep -q 'query_financial_mcp(.*✗ denied' <<<"$(conversation_top junior)" || fail "the denied tool call is not marked in the conversation"
echo "e2e-tui: junior-analyst denied mcp:financial"
keys junior Tab
quit_and_check junior q
start jit 120 36 --agent junior-analyst
ask_seed jit
# JIT dialogs ignore keys for 0.8 s after they appear (ui/dialog.JITQuietPeriod): wait longer.
wait_for jit 90 'Request just-in-time access'
sleep 1.2; keys jit y
wait_for jit 30 'approval needed'
sleep 1.2; keys jit a
wait_for jit 60 'EBITDA.*\$4\.21M'
wait_for jit 20 'MODEL .*turn 2'
s=$(screen jit)
for re in 'JIT +#call_[a-z0-9_]+ approved jit_' 'CAP +#call_[a-z0-9_]+ mcp:financial → allow' 'XCHG +#call_[a-z0-9_]+ urn:mcp:financial-data' 'JIT grant, [0-9]'; do
  grep -Eq -- "$re" <<<"$s" || fail "expected /$re/ on the screen after the JIT approval"
done
echo "e2e-tui: junior-analyst got mcp:financial just in time, approved by the operator"
keys jit Tab
quit_and_check jit q
start capped 120 36 --agent capped-analyst
ask_seed capped
wait_for capped 90 'Budget exhausted'
wait_for capped 10 'BUDGET +tokens/day exhausted'
keys capped Escape; sleep 0.3
grep -q '99% STOPPED' <<<"$(screen capped)" || fail "the stopped gauge does not say so"
echo "e2e-tui: capped-analyst stopped by its exhausted budget before any model call; the gauge says STOPPED"
keys capped Tab
quit_and_check capped q

# 3. 80x24: the same prompt on a small terminal, then the "too small" notice at 20x5 and back.
start narrow 80 24 --agent research-analyst
ask_seed narrow
wait_for narrow 90 '\$4\.21M'
"${T[@]}" resize-window -t narrow -x 20 -y 5
wait_for narrow 10 '[Tt]oo small'
"${T[@]}" resize-window -t narrow -x 80 -y 24
wait_for narrow 10 'Prompt'
echo "e2e-tui: 80x24 answered; 'too small' shown at 20x5 and the dashboard back at 80x24"
quit_and_check narrow C-c C-c

# 4. Compare mode: the seed prompt typed once goes to research-analyst (left) and junior-analyst
#    (right) at 160x48; with the log of each side filtered to the gate, the allowed financial
#    query is on the left only and its denial on the right only. At 80x24 the two are stacked.
half() { # half NAME left|right|top|bottom: that part of the screen (columns or rows above the prompt)
  local line n=0 rows
  rows=$(screen "$1" | grep -c '')
  while IFS= read -r line; do
    n=$((n + 1))
    case $2 in
      left) printf '%s\n' "${line:0:80}" ;;
      right) printf '%s\n' "${line:80}" ;;
      top) [ $n -le $(((rows - 4) / 2)) ] && printf '%s\n' "$line" ;;
      bottom) [ $n -gt $(((rows - 4) / 2)) ] && [ $n -le $((rows - 4)) ] && printf '%s\n' "$line" ;;
    esac
  done < <(screen "$1")
  return 0
}
export LC_ALL=C.UTF-8 # ${line:0:80} counts characters, not bytes
start compare 160 48 --compare research-analyst,junior-analyst --jit off
wait_for compare 60 'lumodash · research-analyst.*lumodash · junior-analyst'
ask_seed compare
wait_for compare 90 'EBITDA.*\$4\.21M'
wait_for compare 90 'answer is incomplete'
keys compare Tab Tab t Tab Tab t; sleep 0.5
left=$(half compare left) right=$(half compare right)
grep -Eq 'CAP +#call_[a-z0-9_]+ mcp:financial → allow' <<<"$left" || fail "compare: the research analyst's side lacks the allowed financial query"
grep -q 'DENY' <<<"$left" && fail "compare: a denial on the research analyst's side"
grep -Eq 'CAP +#call_[a-z0-9_]+ mcp:financial → DENY' <<<"$right" || fail "compare: the junior analyst's side lacks the denial"
grep -q 'mcp:financial → allow' <<<"$right" && fail "compare: an allowed financial query on the junior analyst's side"
echo "e2e-tui: compare 160x48: allowed on research-analyst's side, denied on junior-analyst's"
"${T[@]}" resize-window -t compare -x 80 -y 24; sleep 0.5
wait_for compare 10 'Prompt · sent to research-analyst and junior-analyst'
grep -q '✓ mcp:financial' <<<"$(half compare top)" || fail "compare 80x24: the top (research-analyst) lacks ✓ mcp:financial"
grep -q '✗ mcp:financial' <<<"$(half compare bottom)" || fail "compare 80x24: the bottom (junior-analyst) lacks ✗ mcp:financial"
echo "e2e-tui: compare 80x24: stacked, research-analyst above junior-analyst"
quit_and_check compare Escape C-c

# 4b. export --format json on a terminal is indented for reading (into a pipe it is compact:
# the internal/cli tests).
tr=$(find "$XDG_STATE_HOME/lumodash/sessions" -name '*.jsonl' | head -1)
[ -n "$tr" ] || fail "no transcript in $XDG_STATE_HOME/lumodash/sessions"
start exportjson 100 30 export --format json "$tr"
wait_for exportjson 20 '^  "events": [0-9]+$'
echo "e2e-tui: export --format json on a terminal is indented"

# 5. Nothing secret on any screen read, in tmux's history, or in the session transcripts.
for name in wide junior jit capped narrow compare exportjson; do "${T[@]}" capture-pane -p -S - -t "$name" >> "$frames"; done
leaks=$(find "$XDG_STATE_HOME" -type f -print0 | xargs -0 -r cat | cat "$frames" -)
for agent in "${!secret[@]}"; do
  if grep -qF -- "${secret[$agent]}" <<<"$leaks"; then current=; fail "the client secret of $agent appeared on screen or in a transcript"; fi
done
if grep -Eq 'eyJ[A-Za-z0-9_-]{6,}' <<<"$leaks"; then
  current=; grep -Eo '.{0,30}eyJ[A-Za-z0-9_-]{6,}.{0,10}' <<<"$leaks" | head -3 | sed 's/eyJ[A-Za-z0-9_-]*/eyJ…(redacted here)/' >&2
  fail "a JWT-looking string (eyJ…) appeared on screen or in a transcript"
fi
n=$(grep -c '' "$frames")
echo "e2e-tui: no secret or JWT in $n screen lines and $(find "$XDG_STATE_HOME" -type f | wc -l) transcript file(s)"
echo "e2e-tui: ok"
