//! Shell completions and man pages generated from the one clap definition, for
//! `covet-logs completions SHELL`, `covet-logs man` and the committed copies under
//! `completions/` and `man/` (`cargo run --example gen-assets`).
//!
//! clap_complete's bash script names its per-command cases from the binary name with
//! `-` turned into `__` in one place and into `__subcmd__` in another, so for a
//! hyphenated name like ours nothing below the subcommand completed; `fix_bash` makes
//! the two agree. Each script also gets a small hook that asks the hidden `suggest`
//! command for the query (field names, frequent values, recent searches) and for saved
//! filter names after `--filter`.

use clap::{Command, CommandFactory};
use clap_complete::Shell;

pub use super::shell::{CompletionsArgs, ShellChoice, SuggestArgs, SuggestKind};
use super::Cli;

/// The binary name the scripts complete.
pub const BIN: &str = "covet-logs";

/// (shell, file name under `completions/`): the table the generator and the command share.
const SHELLS: [(ShellChoice, Shell, &str); 5] = [
    (ShellChoice::Bash, Shell::Bash, "covet-logs.bash"),
    (ShellChoice::Zsh, Shell::Zsh, "_covet-logs"),
    (ShellChoice::Fish, Shell::Fish, "covet-logs.fish"),
    (
        ShellChoice::PowerShell,
        Shell::PowerShell,
        "_covet-logs.ps1",
    ),
    (ShellChoice::Elvish, Shell::Elvish, "covet-logs.elv"),
];

/// The completion script for one shell.
pub fn completion(choice: ShellChoice) -> Vec<u8> {
    let shell = SHELLS
        .iter()
        .find(|s| s.0 == choice)
        .map_or(Shell::Bash, |s| s.1);
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let text = match choice {
        ShellChoice::Bash => fix_bash(&text) + &bash_hook(&Cli::command()),
        ShellChoice::Fish => text + &fish_hook(),
        ShellChoice::Zsh => zsh_hook(&text),
        _ => text,
    };
    text.into_bytes()
}

/// The top-level man page (roff).
pub fn man() -> Vec<u8> {
    let mut buf = Vec::new();
    let _ = clap_mangen::Man::new(Cli::command()).render(&mut buf);
    buf
}

/// Every generated file: (path relative to the repository, bytes).
pub fn render_all() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = SHELLS
        .iter()
        .map(|&(choice, _, file)| (format!("completions/{file}"), completion(choice)))
        .collect();
    out.push(("man/covet-logs.1".to_string(), man()));
    let cmd = Cli::command();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("{BIN}-{}", sub.get_name());
        let sub = sub
            .clone()
            .name(Box::leak(name.clone().into_boxed_str()) as &str);
        let mut buf = Vec::new();
        if clap_mangen::Man::new(sub).render(&mut buf).is_ok() {
            out.push((format!("man/{name}.1"), buf));
        }
    }
    out
}

/// Makes the case labels of the per-command options match the names the word loop
/// assigns (`covet__logs__subcmd__stats`, not `covet__subcmd__logs__subcmd__stats`).
fn fix_bash(text: &str) -> String {
    let fn_name = BIN.replace('-', "__");
    let wrong = BIN.replace('-', "__subcmd__");
    text.replace(
        &format!("{wrong}__subcmd__"),
        &format!("{fn_name}__subcmd__"),
    )
}

/// Options of `search` that take a value, so the hook can tell which word is the query.
fn valued_options(cmd: &Command) -> String {
    let mut names = Vec::new();
    for arg in cmd.get_arguments().filter(|a| !a.is_positional()) {
        if !arg.get_action().takes_values() {
            continue;
        }
        names.extend(
            arg.get_short_and_visible_aliases()
                .unwrap_or_default()
                .iter()
                .map(|c| format!("-{c}")),
        );
        names.extend(
            arg.get_long_and_visible_aliases()
                .unwrap_or_default()
                .iter()
                .map(|l| format!("--{l}")),
        );
    }
    names.join("|")
}

/// The commands whose first positional is the query and whose scripts complete it
/// with `suggest` (`fields` is left out: its first plain word names a field).
const QUERY_FIRST: [&str; 4] = ["search", "tail", "stats", "export"];

/// The bash hook: query words and `--filter` names through `covet-logs suggest`, the
/// rest through the generated function. Options that take a value are listed per
/// command (`SUB:-n`), as `-n` takes one on `tail` and none on `search`.
fn bash_hook(cli: &Command) -> String {
    let valued: Vec<String> = QUERY_FIRST
        .iter()
        .filter_map(|name| cli.find_subcommand(name).map(|c| (name, valued_options(c))))
        .flat_map(|(name, opts)| {
            opts.split('|')
                .filter(|o| !o.is_empty())
                .map(|o| format!("{name}:{o}"))
                .collect::<Vec<_>>()
        })
        .collect();
    BASH_HOOK
        .replace("@VALUED@", &valued.join("|"))
        .replace("@QUERY_FIRST@", &QUERY_FIRST.join("|"))
}

/// The fish hook, for the same commands.
fn fish_hook() -> String {
    FISH_HOOK.replace("@QUERY_FIRST@", &QUERY_FIRST.join(" "))
}

const BASH_HOOK: &str = r#"
# covet-logs: query and --filter suggestions from `covet-logs suggest`.
_covet__logs__suggest() {
    local line="${COMP_LINE:0:COMP_POINT}" word mode="" prev sub npos=0 t
    word="${line##*[[:space:]]}"
    local -a toks
    read -ra toks <<< "${line%"$word"}"
    sub="${toks[1]}"
    prev="${toks[${#toks[@]}-1]}"
    case "$prev" in
        --filter) mode=filter ;;
        -q|--query) mode=query ;;
    esac
    local qfirst=""
    case "$sub" in @QUERY_FIRST@) qfirst=1 ;; esac
    if [[ -z "$mode" && -n "$qfirst" && "$word" != -* ]]; then
        mode=query
        for ((t = 2; t < ${#toks[@]}; t++)); do
            case "$sub:${toks[t]}" in
                "$sub:--") ;;
                @VALUED@) ((t++)) ;;
                "$sub:"-*) ;;
                *) npos=$((npos + 1)) ;;
            esac
        done
        ((npos == 0)) || mode=""
    fi
    # Inside an open quote (`search 'level:ERROR serv`): readline hands over the whole
    # quoted text ($2) and replaces it, so each suggestion keeps the words before.
    local sq="${line//[^\']/}" dq="${line//[^\"]/}" inq="" before=""
    if [[ -n "$qfirst" ]] && ((${#sq} % 2 || ${#dq} % 2)); then
        mode=query inq=1 before="${2%"$word"}"
    fi
    if [[ -n "$mode" ]]; then
        local -a found
        mapfile -t found < <("${COMP_WORDS[0]}" suggest --kind "$mode" -- "$word" 2>/dev/null)
        if ((${#found[@]})) && [[ -n "$inq" ]]; then
            COMPREPLY=("${found[@]/#/$before}")
            [[ "${found[0]}" == *: ]] && compopt -o nospace 2>/dev/null
            return 0
        fi
        if ((${#found[@]})); then
            local colon="${word%"${word##*:}"}"
            COMPREPLY=("${found[@]#"$colon"}")
            [[ "${found[0]}" == *: ]] && compopt -o nospace 2>/dev/null
            return 0
        fi
    fi
    _covet__logs "$@"
}
complete -F _covet__logs__suggest -o nosort -o bashdefault -o default covet-logs
"#;

const FISH_HOOK: &str = r#"
# covet-logs: query and --filter suggestions from `covet-logs suggest`.
complete -c covet-logs -n "__fish_seen_subcommand_from @QUERY_FIRST@; and string match -q -- '*:*' (commandline -ct)" -f -a "(covet-logs suggest --kind query -- (commandline -ct) 2>/dev/null)"
complete -c covet-logs -n "__fish_seen_subcommand_from @QUERY_FIRST@; and not string match -q -- '-*' (commandline -ct); and not string match -q -- '*:*' (commandline -ct)" -a "(covet-logs suggest --kind query -- (commandline -ct) 2>/dev/null)"
complete -c covet-logs -l filter -x -a "(covet-logs suggest --kind filter -- (commandline -ct) 2>/dev/null)"
"#;

/// The zsh script, with the search query, `-q` and `--filter` values completed by
/// `suggest`; the hook functions go before the trailer that runs the completion.
fn zsh_hook(text: &str) -> String {
    const ZSH_ACTIONS: [(&str, &str); 3] = [
        ("'::query -- ", "_covet_logs_suggest_query"),
        (":QUERY:_default'", "_covet_logs_suggest_query"),
        ("--filter=[", "_covet_logs_suggest_filter"),
    ];
    let mut out = String::new();
    for line in text.lines() {
        let action = ZSH_ACTIONS.iter().find(|(m, _)| line.contains(m));
        match (action, line.rfind(":_default'")) {
            (Some((_, action)), Some(at)) => {
                out.push_str(&line[..at]);
                out.push(':');
                out.push_str(action);
                out.push_str(&line[at + ":_default".len()..]);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    let trailer = "if [ \"$funcstack[1]\" = ";
    match out.rfind(trailer) {
        Some(at) => format!("{}{ZSH_HOOK}\n{}", &out[..at], &out[at..]),
        None => out + ZSH_HOOK,
    }
}

const ZSH_HOOK: &str = r#"
# covet-logs: query and --filter suggestions from `covet-logs suggest`.
(( $+functions[_covet_logs_suggest_query] )) ||
_covet_logs_suggest_query() {
    local -a found
    found=(${(f)"$(covet-logs suggest --kind query -- "$PREFIX" 2>/dev/null)"})
    if (( ${#found} )); then
        compadd -Q -S '' -- "${found[@]}"
    else
        _files
    fi
}
(( $+functions[_covet_logs_suggest_filter] )) ||
_covet_logs_suggest_filter() {
    local -a found
    found=(${(f)"$(covet-logs suggest --kind filter -- "$PREFIX" 2>/dev/null)"})
    compadd -- "${found[@]}"
}
"#;
