#!/bin/bash
# Takes every lab in labs/ as a learner does, in a real terminal (tmux): opens it in exercise
# mode, and for each step types at the prompt the commands `solution` shows (the lab's own
# `run` lines, as this machine and place take them), then `next`; every step must pass at its
# turn, earlier steps' standing expectations re-checked with it. New labs join by being in
# the folder. The REPL makes its own sandbox: nothing is made on the host.
# Usage: exercise-walk.sh [LAB…] (default: every lab in $BOXLAB_LABS or labs/).
# Needs root and tmux; prints a table of steps passing per lab and "N passed, M failed", and
# exits non-zero when a step failed.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
base=$(mktemp -d /tmp/boxlab-test-walk.XXXXXX)
# A tmux server of our own, so no one's sessions are touched and no one's can interfere.
socket=boxlab-walk-$$
export BOXLAB_RUN_DIR=$base/run BOXLAB_STATE_DIR=$base/state BOXLAB_LABS=${BOXLAB_LABS:-$repo/labs} NO_COLOR=1
unset BOXLAB_SANDBOX_NS
trap 'tmux -L "$socket" kill-server 2>/dev/null; "$repo/.build/debug/boxlab" reset >/dev/null 2>&1; rm -rf "$base"' EXIT
# A step may wait on an OOM kill or a ping: a command gets this long before the walk gives up.
timeout=${BOXLAB_WALK_TIMEOUT:-120}
passed=0 failed=0
table=""

tm() { tmux -L "$socket" "$@"; }
# The terminal's output so far as plain text: no escape sequences, no carriage returns.
transcript() { sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[=>]//g' -e 's/\r//g' "$log"; }
prompts() { transcript | grep -oE "$lab [0-9]+/[0-9]+( \[pid [0-9]+ before exec\])?> " | wc -l; }
last_prompt() { transcript | grep -oE "$lab [0-9]+/[0-9]+( \[pid [0-9]+ before exec\])?> " | tail -n 1; }
# type LINE: types a line at the prompt and waits until the REPL prompts again.
type_line() {
    local before
    before=$(prompts)
    tm send-keys -t walk -l -- "$1"
    tm send-keys -t walk Enter
    for _ in $(seq $((timeout * 10))); do
        [ "$(prompts)" -gt "$before" ] && return 0
        sleep 0.1
    done
    echo "FAIL: $lab: no prompt ${timeout}s after typing: $1" >&2
    transcript | tail -n 15 >&2
    return 1
}
# The lines the REPL printed for the last command typed (between its echo and the prompt).
answer() {
    transcript | awk -v typed="$1" -v re="^$lab [0-9]+/[0-9]+( \\\\[pid [0-9]+ before exec\\\\])?> " '
        { line[NR] = $0 }
        index($0, "> " typed) && $0 ~ re { start = NR }
        END { for (i = start + 1; i <= NR; i++) { if (line[i] ~ re) break; print line[i] } }'
}

walk() {
    lab=$1
    log=$base/$lab.log
    : >"$log"
    tm new-session -d -s walk -x 400 -y 50 \
        "$repo/.build/debug/boxlab $lab --mode exercise --restart; echo REPL-EXITED \$?; sleep 60"
    tm pipe-pane -t walk -o "cat >>'$log'"
    local total="" done=0 failure="—" step
    for _ in $(seq 300); do
        total=$(last_prompt | sed -nE 's/.* [0-9]+\/([0-9]+).*/\1/p')
        [ -n "$total" ] && break
        sleep 0.1
    done
    if [ -z "$total" ]; then
        failure="the REPL did not prompt"
        transcript | tail -n 15 >&2
        total=?
    fi
    for step in $(seq 1 "${total/\?/0}"); do
        type_line solution || { failure="step $step: no prompt after solution"; break; }
        local commands
        commands=$(answer solution)
        if grep -q "^sh <<'EOF'" <<<"$commands"; then
            failure="step $step has an sh block, which cannot be typed at the prompt"
            break
        fi
        local ok=1 command
        while IFS= read -r command; do
            [ -z "$command" ] && continue
            type_line "$command" || { ok=0; break; }
        done <<<"$commands"
        [ "$ok" = 1 ] || { failure="step $step: a command did not come back"; break; }
        type_line next || { failure="step $step: no prompt after next"; break; }
        if [ "$step" -lt "$total" ]; then
            grep -qE "^$lab $((step + 1))/$total" <<<"$(last_prompt)" && { done=$step; continue; }
        else
            transcript | grep -qF "✓ $lab complete" && { done=$step; continue; }
        fi
        local why broken
        why=$(answer next)
        broken=$(grep -m1 -oE '^step [0-9]+ \(.*\) no longer holds' <<<"$why" | sed -E 's/ \(.*\)//')
        failure="at step $step, ${broken:+$broken: }$(grep -m1 '^✗' <<<"$why" | sed 's/^✗ //')"
        echo "FAIL: $lab: step $step did not pass after its own commands:" >&2
        answer next | sed 's/^/    /' >&2
        break
    done
    # Without the lab's reference run, earlier steps would not be re-checked at all.
    if transcript | grep -q "earlier steps are not re-checked"; then
        done=0 failure="no reference run: earlier steps were not re-checked"
        transcript | grep "earlier steps are not re-checked" >&2
    fi
    tm send-keys -t walk C-d
    for _ in $(seq 300); do transcript | grep -q "REPL-EXITED" && break; sleep 0.1; done
    tm kill-session -t walk 2>/dev/null
    if [ "$done" = "$total" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    table+="| $lab | $done/$total | $failure |"$'\n'
}

labs=("$@")
if [ ${#labs[@]} = 0 ]; then
    for file in "$BOXLAB_LABS"/*.md; do labs+=("$(basename "$file" .md)"); done
fi
for lab in "${labs[@]}"; do walk "$lab"; done
echo "| lab | steps passing | first failure |"
echo "|---|---|---|"
printf '%s' "$table"
echo "exercise-walk: $passed passed, $failed failed"
[ "$failed" = 0 ]
