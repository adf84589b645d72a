/**
 * `slopguard shell-init <shell>`: shell functions that send plain `npm`, `pip`, ... through
 * `slopguard <tool>`, so every install typed (or run by an agent in that shell) is checked first.
 *
 * Escape hatches, in every shell: `command npm ...` (bash/zsh/fish) or `& (Get-Command npm
 * -CommandType Application) ...` (PowerShell) bypasses the function once; SLOPGUARD_DISABLE=1
 * bypasses all of them; `slopguard_off` (PowerShell: `Disable-Slopguard`) removes them for the
 * session. Inside a wrapped run (SLOPGUARD_WRAPPED=1, set by slopguard for the package manager)
 * the functions call the tool directly, so install scripts never loop back into slopguard.
 */

import { ROUTED_PROGRAMS } from '../tools/index.js';

/** The shells `shell-init` knows. */
export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

/**
 * The commands routed through slopguard, from the tool table (src/tools/): each definition's
 * `wrapping.routed`. `python -m pip` is not (src/tools/python.ts says why): use `slopguard python -m pip`.
 */
export const ROUTED_TOOLS: readonly string[] = ROUTED_PROGRAMS;

function posix(shell: 'bash' | 'zsh'): string {
  const fns = ROUTED_TOOLS.map((t) => `${t}() { __slopguard_run ${t} "$@"; }`).join('\n');
  return `# slopguard shell integration (${shell}): ${ROUTED_TOOLS.join(', ')} are checked by slopguard first.
# Enable:  eval "$(slopguard shell-init ${shell})"   (add that line to ~/.${shell}rc)
# Bypass once:  command npm install x     Bypass all:  SLOPGUARD_DISABLE=1     Remove:  slopguard_off
__slopguard_set() {
  case "\${1:-}" in
    ''|0|false|FALSE|no|off) return 1 ;;
    *) return 0 ;;
  esac
}
__slopguard_run() {
  local __slopguard_tool="$1"
  shift
  if __slopguard_set "\${SLOPGUARD_DISABLE:-}" || __slopguard_set "\${SLOPGUARD_WRAPPED:-}"; then
    command "$__slopguard_tool" "$@"
  else
    command slopguard "$__slopguard_tool" "$@"
  fi
}
${fns}
slopguard_off() {
  unset -f ${ROUTED_TOOLS.join(' ')} __slopguard_run __slopguard_set slopguard_off
}
`;
}

function fish(): string {
  const fns = ROUTED_TOOLS.map(
    (t) => `function ${t} --wraps ${t} --description '${t} (checked by slopguard)'
    __slopguard_run ${t} $argv
end`,
  ).join('\n');
  return `# slopguard shell integration (fish): ${ROUTED_TOOLS.join(', ')} are checked by slopguard first.
# Enable:  slopguard shell-init fish | source   (add that line to ~/.config/fish/config.fish)
# Bypass once:  command npm install x     Bypass all:  set -gx SLOPGUARD_DISABLE 1     Remove:  slopguard_off
function __slopguard_set
    switch "$argv[1]"
        case '' 0 false FALSE no off
            return 1
    end
    return 0
end
function __slopguard_run
    set -l tool $argv[1]
    if __slopguard_set "$SLOPGUARD_DISABLE"; or __slopguard_set "$SLOPGUARD_WRAPPED"
        command $tool $argv[2..-1]
    else
        command slopguard $tool $argv[2..-1]
    end
end
${fns}
function slopguard_off
    functions --erase ${ROUTED_TOOLS.join(' ')} __slopguard_run __slopguard_set slopguard_off
end
`;
}

function powershell(): string {
  const fns = ROUTED_TOOLS.map((t) => `function global:${t} { __SlopguardRun '${t}' @args }`).join('\n');
  return `# slopguard shell integration (PowerShell): ${ROUTED_TOOLS.join(', ')} are checked by slopguard first.
# Enable:  slopguard shell-init powershell | Out-String | Invoke-Expression   (add that line to $PROFILE)
# Bypass once:  & (Get-Command npm -CommandType Application)[0] install x
# Bypass all:  $env:SLOPGUARD_DISABLE = '1'     Remove:  Disable-Slopguard
function global:__SlopguardSet([string]$Value) {
  return -not ([string]::IsNullOrEmpty($Value) -or @('0', 'false', 'no', 'off') -contains $Value.ToLowerInvariant())
}
function global:__SlopguardRun {
  $tool = $args[0]
  $rest = @($args | Select-Object -Skip 1)
  if ((__SlopguardSet $env:SLOPGUARD_DISABLE) -or (__SlopguardSet $env:SLOPGUARD_WRAPPED)) {
    $exe = Get-Command $tool -CommandType Application -ErrorAction Stop | Select-Object -First 1
    & $exe @rest
  } else {
    $sg = Get-Command slopguard -CommandType Application -ErrorAction Stop | Select-Object -First 1
    & $sg $tool @rest
  }
}
${fns}
function global:Disable-Slopguard {
  foreach ($name in @(${ROUTED_TOOLS.map((t) => `'${t}'`).join(', ')}, '__SlopguardRun', '__SlopguardSet', 'Disable-Slopguard')) {
    Remove-Item -Path "Function:\\$name" -ErrorAction SilentlyContinue
  }
}
`;
}

/** The script for one shell. */
export function shellInitScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
    case 'zsh':
      return posix(shell);
    case 'fish':
      return fish();
    case 'powershell':
      return powershell();
  }
}
