# Sourced by scripts/capture-*-fixtures: capture_in PREFIX NAME "SETUP" "COMMAND" runs SETUP
# untraced, then COMMAND under strace, both in a fresh network namespace (unshare -n), and
# writes what COMMAND sent to the kernel over netlink and what it received to
# Tests/KernelTests/Fixtures/PREFIX-NAME.hex. nf_tables and conntrack tables are per
# namespace, so the machine's own are never read or touched. $tools names the tools' versions
# for the file's header; with $printed set, what COMMAND printed goes into it too ("# printed:").
fixtures="$(dirname "$0")/../Tests/KernelTests/Fixtures"
kernel="$(uname -r)"

capture_in() {
    prefix=$1 name=$2 setup=$3 command=$4
    trace=$(mktemp)
    script=$(mktemp)
    output=$(mktemp)
    printf '%s\nstrace -o %s -e trace=sendmsg,recvmsg,sendto -e write=all -e read=all %s >%s\n' "$setup" "$trace" "$command" "$output" >"$script"
    unshare -n sh -e "$script" || true
    rm -f "$script"
    {
        echo "# $command"
        [ -n "$setup" ] && echo "# after: $(echo "$setup" | tr '\n' ';')"
        echo "# $tools, on Linux $kernel, in a fresh network namespace (unshare -n),"
        echo "# captured with strace -e trace=sendmsg,recvmsg,sendto -e write=all -e read=all."
        [ -n "${printed:-}" ] && sed 's/^/# printed: /' "$output"
        echo "# '>' is a datagram the tool sent, '<' one it received; hex continues on the lines after."
        awk '
            /^(sendmsg|sendto)\(/ { mode = ">"; started = 0; next }
            /^recvmsg\(/ { mode = ($NF + 0 > 0) ? "<" : ""; started = 0; next }
            /^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / && mode != "" {
                if (!started) { print mode; started = 1 }
                line = substr($0, 11, 49); gsub(/ +/, "", line)
                words = ""
                for (i = 1; i <= length(line); i += 8) words = words (i > 1 ? " " : "") substr(line, i, 8)
                print words
            }
        ' "$trace"
    } >"$fixtures/$prefix-$name.hex"
    rm -f "$trace" "$output"
}
