# bash completion for mcpcompat: commands read from its --help, each command's
# options from `mcpcompat COMMAND --help`
# (so they cannot drift from it), profile ids from `mcpcompat profiles`.
_mcpcompat() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} mc=${COMP_WORDS[0]}
  local words
  case $prev in
    --profile)
      words=$("$mc" profiles 2>/dev/null | awk 'NR > 1 {print $1}')
      mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur"; compgen -f -X '!*.json' -- "$cur")
      return ;;
    --scenario | --junit | --json | --markdown | --record | --cacert | --tls-cert | --tls-key)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return ;;
    --profiles-dir)
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      return ;;
  esac
  if [ "$COMP_CWORD" = 1 ]; then
    words="$("$mc" --help 2>/dev/null | awk '/^commands:/ {c = 1; next} /^$/ {c = 0} c {print $1}') --help --version"
  else
    # the options of this command: its own --help lists them
    words=$("$mc" "${COMP_WORDS[1]}" --help 2>/dev/null | awk '/^options:/ {c = 1; next} /^$/ {c = 0} c && /^  -/ {print $1}')
  fi
  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}
complete -F _mcpcompat mcpcompat
