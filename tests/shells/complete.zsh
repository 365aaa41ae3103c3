# Completes a command line in an interactive zsh (zpty) with compinit and the script in
# $1 (a directory holding _covet-logs); prints each candidate compadd was given, sorted.
#   zsh -f complete.zsh DIR 'LINE'
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT= ; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-grouped false; zstyle ':completion:*' format '' ; zstyle ':completion:*' menu no"
zpty -w z 'compadd () { builtin compadd -O __hits "$@"; local h; for h in $__hits; do print -r -- "<<$h>>"; done; builtin compadd "$@" }'
zpty -w z 'comptest () { zle expand-or-complete; print -r -- "<<""END>>"; }; zle -N comptest; bindkey "^T" comptest'
zpty -n -w z "$2"$'\x14'
out=""
while zpty -r z line; do
  out+="$line"
  [[ $line == *'<<END>>'* ]] && break
done
print -r -- "$out" | tr -d "\r" | grep -o "<<[^>]*>>" | grep -v -e END -e "^<<\$h>>" | sed "s/^<<//;s/>>$//" | sort -u
zpty -d z
