/**
 * The completion scripts `mycli complete <shell>` prints. Each one asks mycli for the candidates of
 * the line being typed — `mycli complete --words -- <words after mycli, the current one last>` —
 * and reads its answer: one `value<TAB>description` per line, then `:files` (complete file names
 * instead) or `:nospace` (no space after the candidate) when so. Written for mycli after reading
 * how wrangler (`wrangler complete`, through @bomb.sh/tab) and cobra (`gh completion`) do it.
 */
import { UsageError } from '../../errors.js';
export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

/** How to install the script of each shell (the help of `mycli complete` and the README say the same). */
export const INSTALL: Record<Shell, string[]> = {
  bash: ['source <(mycli complete bash)                        # this shell', "echo 'source <(mycli complete bash)' >> ~/.bashrc  # every new shell"],
  zsh: [
    'source <(mycli complete zsh)                         # this shell (after compinit)',
    'mycli complete zsh > "${fpath[1]}/_mycli"            # every new shell (a folder of $fpath)',
  ],
  fish: ['mycli complete fish | source                         # this shell', 'mycli complete fish > ~/.config/fish/completions/mycli.fish'],
  powershell: ['mycli complete powershell | Out-String | Invoke-Expression   # this shell; add it to $PROFILE to keep it'],
};

const header = (shell: Shell, comment: string) =>
  [
    `${comment} mycli completion for ${shell}, printed by \`mycli complete ${shell}\`. Install:`,
    ...INSTALL[shell].map((l) => `${comment}   ${l}`),
    `${comment} Each completion runs \`mycli complete --words -- <words>\`: it reads the config, and the store only`,
    `${comment} when the backend is local (never the network, never a plugin); it prints nothing on errors.`,
  ].join('\n');

const BASH = `${header('bash', '#')}
_mycli_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} line directive=
  local -a words=("\${COMP_WORDS[@]:1:COMP_CWORD}")
  # bash splits --env=staging at the "=" (a word of its own): what follows it is completed.
  if [[ $cur == = ]]; then cur=; words[\${#words[@]}-1]=; fi
  COMPREPLY=()
  while IFS= read -r line; do
    case $line in
      :*) directive=\${line#:} ;;
      *) COMPREPLY+=("\${line%%$'\\t'*}") ;;
    esac
  done < <(mycli complete --words -- "\${words[@]}" 2>/dev/null)
  case $directive in
    files)
      compopt -o filenames 2>/dev/null
      while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -f -- "$cur")
      ;;
    nospace) compopt -o nospace 2>/dev/null ;;
  esac
  return 0
}
complete -F _mycli_complete mycli
`;

const ZSH = `#compdef mycli
${header('zsh', '#')}
_mycli() {
  local -a lines values
  local line directive= value desc
  lines=("\${(@f)$(mycli complete --words -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  for line in "\${lines[@]}"; do
    [[ -z $line ]] && continue
    if [[ $line == :* ]]; then directive=\${line#:}; continue; fi
    value=\${line%%$'\\t'*}
    desc=
    [[ $line == *$'\\t'* ]] && desc=\${line#*$'\\t'}
    values+=("\${value//:/\\\\:}\${desc:+:$desc}")
  done
  if [[ $directive == files ]]; then _files; return; fi
  (( \${#values} )) || return 1
  if [[ $directive == nospace ]]; then _describe -t values mycli values -S ''; else _describe -t values mycli values; fi
}
if [ "$funcstack[1]" = "_mycli" ]; then _mycli "$@"; else compdef _mycli mycli; fi
`;

const FISH = `${header('fish', '#')}
function __mycli_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l cur (commandline -ct)
    set -l directive
    for line in (mycli complete --words -- $words "$cur" 2>/dev/null)
        switch $line
            case ':*'
                set directive (string sub -s 2 -- $line)
            case '*'
                printf '%s\\n' $line
        end
    end
    if test "$directive" = files
        __fish_complete_path "$cur"
    end
end
complete -c mycli -f -a '(__mycli_complete)'
`;

const POWERSHELL = `${header('powershell', '#')}
Register-ArgumentCompleter -Native -CommandName mycli -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @()
    foreach ($element in @($commandAst.CommandElements | Select-Object -Skip 1)) {
        if ($element.Extent.StartOffset -ge $cursorPosition) { break }
        $text = $element.Extent.Text
        if ($element.Extent.EndOffset -gt $cursorPosition) { $text = $text.Substring(0, $cursorPosition - $element.Extent.StartOffset) }
        $words += $text
    }
    # An empty argument is dropped by PowerShell before 7.3: mycli reads '""' as "nothing typed yet".
    if ($wordToComplete -eq '') { $words += '""' }
    $directive = ''
    $results = foreach ($line in @(& mycli complete --words '--' @words 2>$null)) {
        if ($line.StartsWith(':')) { $directive = $line.Substring(1); continue }
        $parts = $line -split "\`t", 2
        $tip = if ($parts.Count -gt 1 -and $parts[1]) { $parts[1] } else { $parts[0] }
        [System.Management.Automation.CompletionResult]::new($parts[0], $parts[0], 'ParameterValue', $tip)
    }
    # Nothing returned: PowerShell completes file names itself.
    if ($directive -eq 'files') { return }
    $results
}
`;

const SCRIPTS: Record<Shell, string> = { bash: BASH, zsh: ZSH, fish: FISH, powershell: POWERSHELL };

export function completionScript(shell: string): string {
  const found = SHELLS.find((s) => s === shell.toLowerCase() || (s === 'powershell' && shell.toLowerCase() === 'pwsh'));
  if (!found) throw new UsageError(`"${shell}" is not a shell mycli completes`, { hint: `use one of ${SHELLS.join(', ')}: mycli complete bash` });
  return SCRIPTS[found];
}
