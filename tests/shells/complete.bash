# Completes a command line as bash's readline would hand it to the completion function:
# words split at blanks and at `:` and `=` (COMP_WORDBREAKS), $2 the text after the last
# break (after an open single quote: the quoted text, unsplit). Prints COMPREPLY, one a line.   bash complete.bash SCRIPT 'LINE'
source "$1"
line="$2"
COMP_LINE="$line"
COMP_POINT=${#line}
COMP_WORDS=()
w=""
for ((i = 0; i < ${#line}; i++)); do
    c="${line:i:1}"
    case "$c" in
        " ") [[ -n "$w" ]] && COMP_WORDS+=("$w"); w="" ;;
        ":" | "=") [[ -n "$w" ]] && COMP_WORDS+=("$w"); COMP_WORDS+=("$c"); w="" ;;
        *) w+="$c" ;;
    esac
done
last="${line: -1}"
if [[ "$last" == ":" || "$last" == "=" ]]; then
    cur=""
else
    COMP_WORDS+=("$w")
    cur="$w"
fi
# Inside an open quote readline does not split: $2 is the text after the quote.
squotes="${line//[^\']/}"
if ((${#squotes} % 2)); then
    before="${line%\'*}"
    cur="${line##*\'}"
    read -ra COMP_WORDS <<< "$before"
    COMP_WORDS+=("'$cur")
fi
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
prev="${COMP_WORDS[COMP_CWORD - 1]}"
spec="$(complete -p covet-logs)"
fn="${spec#*-F }"
fn="${fn%% *}"
"$fn" covet-logs "$cur" "$prev"
[[ ${#COMPREPLY[@]} -gt 0 ]] && printf '%s\n' "${COMPREPLY[@]}"
# Files, as `-o default` has readline add them when COMPREPLY is empty.
if [[ ${#COMPREPLY[@]} -eq 0 ]]; then compgen -f -- "$cur"; fi
exit 0
