# Shared by the bench scripts (sourced first): goes to the repository root (ROOT) and
# defines `log` and `bench_args`.

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# log MESSAGE...: one line on stderr, prefixed with the script's name.
log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

# bench_args FLAG VAR HELP_LINES ARGS...: FLAG (such as --record) sets VAR to 1;
# -h/--help prints the script's header comment (sed line range HELP_LINES) and exits 0;
# another option is an error (exit 2); a word is kept in ARG (the last one wins).
bench_args() {
    local flag="$1" var="$2" help="$3" arg
    shift 3
    for arg in "$@"; do
        case "$arg" in
            "$flag") printf -v "$var" 1 ;;
            -h | --help)
                sed -n "${help}p" "$0" | sed 's/^# \{0,1\}//'
                exit 0
                ;;
            -*)
                log "unknown option $arg"
                exit 2
                ;;
            *) ARG="$arg" ;;
        esac
    done
}

# require_tools TOOL...: exits 2 naming the first TOOL that is not on PATH.
require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || { log "$tool is required"; exit 2; }
    done
}

# covet_bin CARGO_BUILD_ARGS...: sets BIN to the covet-logs binary to time: COVET_BIN
# when set (a prebuilt binary, timed as it is), else the release build, made first with
# `cargo build --release CARGO_BUILD_ARGS...`.
covet_bin() {
    if [ -n "${COVET_BIN:-}" ]; then
        BIN="$COVET_BIN"
        return
    fi
    log "cargo build --release $*"
    cargo build --release "$@" >&2
    BIN="$ROOT/target/release/covet-logs"
}
