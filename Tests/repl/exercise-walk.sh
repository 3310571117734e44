#!/bin/bash
# Takes every lab in labs/ as a learner does, in a real terminal (tmux), in exercise mode: for
# each step the commands `solution` shows (the lab's own `run` lines, as this machine and
# place take them), then `next`; every step must pass at its turn, earlier steps' standing
# expectations re-checked with it. New labs join by being in the folder. Two passes:
#   repl   the commands typed at the REPL's prompt;
#   shell  the same work done with the standard tools (util-linux, iproute2, echo into
#          cgroup files) in `boxlab shell` beside the REPL, each step judged by
#          `boxlab check LAB --step N` there before `next`. A line with no standard tool
#          here (BoxLab's own `clone`, `image`, `container`, `network`, a tool not installed) is typed
#          at the REPL instead, and the table says so.
# The REPL makes its own sandbox: nothing is made on the host.
# Usage: exercise-walk.sh [--pass repl|shell|both] [LAB…] (default: both, every lab in
# $BOXLAB_LABS or labs/). Needs root and tmux; prints a table per pass and
# "N passed, M failed", and exits non-zero when a step failed. $BOXLAB_BIN names another
# boxlab binary (the VM tier's, Tests/vm/init); $BOXLAB_WALK_SHELL a shell to use in
# `boxlab shell` instead of its /bin/sh; $BOXLAB_WALK_SCOPE a command that runs each REPL
# in a delegated cgroup of its own (as `systemd-run --scope -p Delegate=yes` does).
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
boxlab=${BOXLAB_BIN:-$repo/.build/debug/boxlab}
base=$(mktemp -d /tmp/boxlab-test-walk.XXXXXX)
# A tmux server of our own, so no one's sessions are touched and no one's can interfere; its
# socket goes with the walk's directory.
socket=boxlab-walk-$$
export TMUX_TMPDIR=$base
export BOXLAB_RUN_DIR=$base/run BOXLAB_STATE_DIR=$base/state BOXLAB_LABS=${BOXLAB_LABS:-$repo/labs} NO_COLOR=1
unset BOXLAB_SANDBOX_NS
trap 'tmux -L "$socket" kill-server 2>/dev/null; "$boxlab" reset >/dev/null 2>&1; rm -rf "$base"' EXIT
# A step may wait on an OOM kill or a ping: a command gets this long before the walk gives up.
timeout=${BOXLAB_WALK_TIMEOUT:-120}
passes=both
if [ "${1:-}" = --pass ]; then passes=$2; shift 2; fi
passed=0 failed=0

tm() { tmux -L "$socket" "$@"; }
# A window's output so far as plain text: no escape sequences, no carriage returns.
# (The escape and carriage return are bytes here, not sed's \x1b and \r: busybox sed, the
# VM tier's, knows neither.)
esc=$(printf '\033') cr=$(printf '\r')
clean() { sed -e "s/$esc\\[[0-9;?]*[A-Za-z]//g" -e "s/$esc[=>]//g" -e "s/$cr//g" "$1"; }
transcript() { clean "$log"; }
prompt_re() { echo "$lab [0-9]+/[0-9]+( \\[pid [0-9]+ before exec\\])?> "; }
prompts() { transcript | grep -oE "$(prompt_re)" | wc -l; }
last_prompt() { transcript | grep -oE "$(prompt_re)" | tail -n 1; }
# wait_for CONDITION…: polls until the command succeeds, at most $timeout seconds.
wait_for() {
    for _ in $(seq $((timeout * 10))); do "$@" && return 0; sleep 0.1; done
    return 1
}
more_prompts() { [ "$(prompts)" -gt "$1" ]; }
# type_line LINE: types a line at the REPL's prompt and waits until it prompts again.
type_line() {
    local before
    before=$(prompts)
    tm send-keys -t walk:repl -l -- "$1"
    tm send-keys -t walk:repl Enter
    wait_for more_prompts "$before" && return 0
    echo "FAIL: $lab: no prompt ${timeout}s after typing: $1" >&2
    transcript | tail -n 15 >&2
    return 1
}
# The lines the REPL printed for the last command typed (between its echo and the prompt).
answer() {
    transcript | awk -v typed="$1" -v re="^$(prompt_re | sed 's/\\/\\\\/g')" '
        { line[NR] = $0 }
        index($0, "> " typed) && $0 ~ re { start = NR }
        END { for (i = start + 1; i <= NR; i++) { if (line[i] ~ re) break; print line[i] } }'
}

# The shell pass: `boxlab shell` in a second window; each line is followed by a marker
# that carries its exit status, so the walk knows when it is done.
marks=0
# (Not at the line's start: typed ahead, the marker line may follow the next prompt.)
shell_done() { clean "$shlog" | grep -qE "@@@$marks [0-9]+$"; }
# sh_line LINE: types LINE in the shell and returns its exit status.
sh_line() {
    marks=$((marks + 1))
    tm send-keys -t walk:sh -l -- "$1"
    tm send-keys -t walk:sh Enter
    tm send-keys -t walk:sh -l -- "echo \"@@@$marks \$?\""
    tm send-keys -t walk:sh Enter
    if ! wait_for shell_done; then
        echo "FAIL: $lab: the shell did not finish ${timeout}s after: $1" >&2
        clean "$shlog" | tail -n 15 >&2
        return 255
    fi
    return "$(clean "$shlog" | sed -nE "s/.*@@@$marks ([0-9]+)$/\\1/p" | tail -n 1)"
}
# What the shell printed for the last line typed, before its marker.
sh_answer() { clean "$shlog" | awk -v last="@@@$((marks - 1)) " -v mark="@@@$marks " 'index($0, last) && $0 ~ /[0-9]$/ { from = NR } { line[NR] = $0 } END { for (i = from + 1; i <= NR; i++) { if (index(line[i], mark) && line[i] ~ /[0-9]$/) break; print line[i] } }'; }
# Why LINE has no standard tool here (empty when it has one). `held` is set while a
# process waits between clone and exec: what is typed then goes into it, in the REPL only.
no_tool() {
    local word=${1%% *}
    case $word in
        clone|exec|image|container|network) echo "\`$word\` is BoxLab's own command"; return ;;
    esac
    # While a process waits between clone and exec, these act in it (its paths, its root).
    case $held:$word in 1:mount|1:umount|1:mkdir|1:mknod|1:ln|1:cd|1:touch|1:hostname|1:pivot_root|1:chroot|1:setpriv)
        echo "it acts in the process held between clone and exec"; return ;;
    esac
    case $word in cd|echo|printf|wait|kill|sleep) return ;; esac
    command -v "$word" >/dev/null || { echo "$word is not installed here"; return; }
    # A word of the line, not part of one (`flannel.1` is a link, `flannel` the agent).
    for tool in ping cgexec flannel; do
        if grep -qE "(^|[[:space:]])$tool([[:space:]]|\$)" <<<"$1" && ! command -v "$tool" >/dev/null; then echo "$tool is not installed here"; return; fi
    done
}

# note REASON: a line of this step was typed at the REPL (or named otherwise), and why.
note() { case " ${reasons[$1]:-} " in *" $step "*) ;; *) reasons[$1]+=" $step" ;; esac; }

# Whether LINE runs `unshare --fork` (alone or after nsenter): its options are the words
# after `unshare` up to the program.
forks() {
    local seen=0 word
    for word in $1; do
        if [ "$seen" = 0 ]; then [ "$word" = unshare ] && seen=1; continue; fi
        case $word in -f|--fork) return 0 ;; -*) ;; *) return 1 ;; esac
    done
    return 1
}

walk() {
    lab=$1 pass=$2
    log=$base/$lab.$pass.log shlog=$base/$lab.$pass.sh.log
    echo "exercise-walk: $lab, $pass pass" >&2
    : >"$log"
    if ! tm new-session -d -s walk -n repl -x 400 -y 50 \
        "${BOXLAB_WALK_SCOPE:+$BOXLAB_WALK_SCOPE }$boxlab $lab --mode exercise --restart; echo REPL-EXITED \$?; sleep 60"; then
        echo "exercise-walk: tmux cannot start a session (its message is above)" >&2
        exit 2
    fi
    tm pipe-pane -t walk:repl -o "cat >>'$log'"
    local total="" done=0 failure="—" notes="" step held=0 last_place=repl sets="" previous=""
    # Why lines were typed at the REPL instead of the shell, with the steps they were in.
    declare -A reasons=()
    wait_for eval '[ -n "$(last_prompt)" ]'
    total=$(last_prompt | sed -nE 's/.* [0-9]+\/([0-9]+).*/\1/p')
    if [ -z "$total" ]; then
        failure="the REPL did not prompt"
        transcript | tail -n 15 >&2
        total=?
    fi
    if [ "$pass" = shell ] && [ -n "$total" ]; then
        : >"$shlog"
        tm new-window -t walk -n sh "$boxlab shell; sleep 60"
        tm pipe-pane -t walk:sh -o "cat >>'$shlog'"
        if ! wait_for eval 'clean "$shlog" | grep -q "boxlab sandbox"'; then
            failure="boxlab shell did not prompt" total=?
            clean "$shlog" | tail -n 15 >&2
        elif [ -n "${BOXLAB_WALK_SHELL:-}" ]; then
            # The learner's own shell in place of /bin/sh: where /bin/sh is busybox (the VM
            # tier), its applets would stand in for the standard tools on PATH.
            sh_line "exec $BOXLAB_WALK_SHELL -i" >/dev/null
        fi
    fi
    for step in $(seq 1 "${total/\?/0}"); do
        type_line solution || { failure="step $step: no prompt after solution"; break; }
        local commands
        commands=$(answer solution)
        if grep -q "^sh <<'EOF'" <<<"$commands"; then
            failure="step $step has an sh block, which cannot be typed at the prompt"
            break
        fi
        local ok=1 command why_not
        while IFS= read -r command; do
            [ -z "$command" ] && continue
            if [ "$pass" = repl ]; then type_line "$command" || { ok=0; break; }; continue; fi
            # NAME=$! names what the line before started, where it was started.
            if [[ $command =~ ^[A-Za-z_][A-Za-z0-9_]*=\$!$ ]]; then
                why_not=""; [ "$last_place" = repl ] && why_not="it names a program the REPL started"
            elif [[ $command =~ ^wait\  ]] && [ "$last_place" = repl ]; then
                why_not="it waits for a program the REPL started"
            else
                why_not=$(no_tool "$command")
            fi
            [ "${command%% *}" = clone ] && held=1
            [ "${command%% *}" = exec ] && held=0
            if [ -n "$why_not" ]; then
                note "$why_not"
                type_line "$command" || { ok=0; break; }
                last_place=repl
                # The REPL's names ($box, $lowerdir…) reach the shell through the run directory.
                sh_line "eval \"\$(sed -nE 's/^([A-Za-z_][A-Za-z0-9_]*)=(.*)\$/export \\1=\"\\2\"/p' \"\$BOXLAB_RUN_DIR/variables\")\"" >/dev/null
            elif ! sh_line "$command"; then
                # The tool is there but does not do here what the lab's line does: the
                # learner would need another way, and the table says which line and why.
                local error
                error=$(sh_answer | grep -E '^[A-Za-z_-]+: ' | head -n 1)
                note "\`$command\` fails in boxlab shell (${error:-no message})"
                type_line "$command" || { ok=0; break; }
                last_place=repl
            else
                last_place=sh
                if [[ $command =~ ^([A-Za-z_][A-Za-z0-9_]*)=\$!$ ]]; then
                    local name=${BASH_REMATCH[1]}
                    sets+=" --set $name=\$$name"
                    # util-linux's `unshare --fork` is the parent of the program it starts
                    # (BoxLab's names the program): the learner names its child.
                    if forks "$previous"; then
                        note "with util-linux, \$! after \`unshare --fork\` is unshare itself: its child is named (pgrep -P)"
                        sh_line "for i in \$(seq 50); do child=\$(pgrep -P \$$name) && break; sleep 0.1; done; $name=\$child" >/dev/null
                    fi
                    # Named for the REPL and `boxlab check` too, the documented way.
                    sh_line "$boxlab check $lab --step 1 --set $name=\$$name >/dev/null" >/dev/null
                fi
            fi
            previous=$command
        done <<<"$commands"
        [ "$ok" = 1 ] || { failure="step $step: a command did not come back"; break; }
        if [ "$pass" = shell ]; then
            if ! sh_line "$boxlab check $lab --step $step$sets"; then
                failure="at step $step, boxlab check: $(sh_answer | grep -m1 '^✗' | sed 's/^✗ //')"
                echo "FAIL: $lab: boxlab check --step $step failed after the step's work in boxlab shell:" >&2
                sh_answer | sed 's/^/    /' >&2
                break
            fi
        fi
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
        echo "FAIL: $lab: step $step did not pass after its own commands ($pass pass):" >&2
        answer next | sed 's/^/    /' >&2
        break
    done
    # Without the lab's reference run, earlier steps would not be re-checked at all.
    if transcript | grep -q "earlier steps are not re-checked"; then
        done=0 failure="no reference run: earlier steps were not re-checked"
        transcript | grep "earlier steps are not re-checked" >&2
    fi
    [ "$pass" = shell ] && tm send-keys -t walk:sh C-d
    tm send-keys -t walk:repl C-d
    wait_for eval 'transcript | grep -q "REPL-EXITED"'
    tm kill-session -t walk 2>/dev/null
    local reason
    for reason in "${!reasons[@]}"; do notes+="$reason (steps${reasons[$reason]}); "; done
    if [ "$done" = "$total" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    table+="| $lab | $done/$total | $failure |${notes:+ ${notes%; }} |"$'\n'
}

labs=("$@")
if [ ${#labs[@]} = 0 ]; then
    for file in "$BOXLAB_LABS"/*.md; do labs+=("$(basename "$file" .md)"); done
fi
for pass in repl shell; do
    [ "$passes" = both ] || [ "$passes" = "$pass" ] || continue
    table=""
    for lab in "${labs[@]}"; do walk "$lab" "$pass"; done
    echo "$pass pass:"
    echo "| lab | steps passing | first failure | typed at the REPL (no standard tool) |"
    echo "|---|---|---|---|"
    printf '%s' "$table"
done
echo "exercise-walk: $passed passed, $failed failed"
[ "$failed" = 0 ]
