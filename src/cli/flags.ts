import { Option, type Command } from 'commander';
import { DEFAULT_NETWORK, DEFAULT_POLICY } from '../policy/defaults.js';
import { REPORT_FORMATS } from '../reporters/index.js';

/**
 * The one flag table. Every command that checks packages takes the `policy` flags (the policy,
 * registry, cache and network settings); the commands whose output is a report take the `report`
 * flags too, while hooks, the LSP, MCP and `serve` answer in a protocol and do not. One table, so
 * `--timeout` means and says the same in every command, and each default in the help is read from
 * policy/defaults.ts instead of being repeated in prose.
 */

/** Which commands take a flag: `report` flags only commands that print a report. */
export const FLAG_GROUPS = ['report', 'policy'] as const;
/** One of {@link FLAG_GROUPS}. */
export type FlagGroup = (typeof FLAG_GROUPS)[number];

/** One row of the table: commander's flag syntax, its help, and how values are taken. */
export interface FlagSpec {
  readonly group: FlagGroup;
  /** commander syntax: `-f, --format <format>`, `--no-cache`. */
  readonly flags: string;
  readonly help: string;
  /** Allowed values, checked by commander (a bad one is a usage error naming the choices). */
  readonly choices?: readonly string[];
  readonly defaultValue?: string;
  /** Repeatable: every occurrence is collected into an array. */
  readonly repeatable?: true;
}

const t = DEFAULT_POLICY.thresholds;

/** Every shared flag, in the order `--help` lists them. */
export const FLAGS: readonly FlagSpec[] = [
  { group: 'report', flags: '-f, --format <format>', help: 'output format', choices: REPORT_FORMATS, defaultValue: 'text' },
  { group: 'report', flags: '-o, --output <file>', help: 'write the report to a file instead of stdout' },
  { group: 'report', flags: '--all', help: 'text output: list every package, not only the problems' },
  { group: 'policy', flags: '--fail-on <level>', help: `fail (exit 1, or deny in a hook) for packages at or above this: block | warn (default ${DEFAULT_POLICY.failOn})` },
  { group: 'policy', flags: '--fail-closed', help: 'treat packages that could not be verified (and input that could not be read) as blocked' },
  { group: 'policy', flags: '--allow <name>', help: 'allow a name for this run (repeatable; pypi:name for PyPI)', repeatable: true },
  { group: 'policy', flags: '--min-age-days <days>', help: `warn about packages younger than this (default ${t.minAgeDays})` },
  { group: 'policy', flags: '--min-downloads <count>', help: `warn about fewer weekly downloads than this (default ${t.minWeeklyDownloads})` },
  { group: 'policy', flags: '-c, --config <file>', help: 'config file (default: .slopguard.json or package.json "slopguard", searched up to the repository root)' },
  { group: 'policy', flags: '--trust-project', help: "apply the project's own config in full, loosening parts included (CI on the default branch; env SLOPGUARD_TRUST_PROJECT=1)" },
  { group: 'policy', flags: '--npm-registry <url>', help: 'npm registry (default: from npm config, else https://registry.npmjs.org)' },
  { group: 'policy', flags: '--npm-downloads-api <url>', help: 'npm downloads API (default https://api.npmjs.org)' },
  { group: 'policy', flags: '--pypi-url <url>', help: 'PyPI base URL for /pypi/<name>/json and /simple/ (default https://pypi.org)' },
  { group: 'policy', flags: '--pypistats-api <url>', help: 'pypistats API (default https://pypistats.org)' },
  { group: 'policy', flags: '--cache-dir <dir>', help: 'where facts are cached (default: the user cache dir)' },
  { group: 'policy', flags: '--cache-url <url>', help: 'a shared cache behind the disk cache: redis://HOST:PORT[/DB] (Redis or Valkey)' },
  { group: 'policy', flags: '--server <url>', help: 'judge through a central slopguard service (slopguard serve: POST /v1/check) instead of asking the registries from here' },
  { group: 'policy', flags: '--no-cache', help: 'neither read nor write the cache' },
  { group: 'policy', flags: '--offline', help: 'use only cached facts; anything not cached is unverified' },
  { group: 'policy', flags: '--timeout <seconds>', help: `seconds one package lookup may take, retries included (default ${DEFAULT_NETWORK.timeoutMs / 1000})` },
  { group: 'policy', flags: '--concurrency <n>', help: `parallel registry requests (default ${DEFAULT_NETWORK.concurrency})` },
  { group: 'policy', flags: '--monitor', help: 'monitor mode: report and log every finding, refuse nothing (env SLOPGUARD_MODE=monitor)' },
  { group: 'policy', flags: '--audit-log <file>', help: 'append one JSON line per decision to this file (- for stderr; env SLOPGUARD_AUDIT_LOG)' },
  { group: 'report', flags: '--no-color', help: 'no colours even on a terminal (NO_COLOR is honoured too)' },
  { group: 'report', flags: '--no-progress', help: 'no progress line on stderr' },
];

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Add the table's flags of the given groups to a command, in table order. */
export function addFlags(cmd: Command, groups: readonly FlagGroup[]): Command {
  for (const spec of FLAGS) {
    if (!groups.includes(spec.group)) continue;
    const option = new Option(spec.flags, spec.help);
    if (spec.choices) option.choices([...spec.choices]);
    if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
    if (spec.repeatable) option.argParser(collect);
    cmd.addOption(option);
  }
  return cmd;
}
