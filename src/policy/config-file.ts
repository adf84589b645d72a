import { existsSync } from 'node:fs';
import { MAX_SETTINGS_BYTES, readSettingsFile } from '../core/settings-file.js';
import { lazyRequire } from '../core/lazy-require.js';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type * as Jsonc from 'jsonc-parser';
import type { z as Zod } from 'zod';
import { ConfigError } from '../core/errors.js';
import { sha256, trustedContent } from './trust-store.js';
import { FINDING_CODES, type AllowEntry, type Ecosystem, type FindingCode, type RunMode, type SeveritySetting, type Thresholds, RUN_MODES } from '../core/types.js';

/** What a config file may set. Every field is optional; unknown fields are errors (typos in config must not pass silently). */
export interface ConfigFile {
  failOn?: 'block' | 'warn';
  failClosed?: boolean;
  thresholds?: Partial<Thresholds>;
  severities?: Partial<Record<FindingCode, SeveritySetting>>;
  allow?: Partial<Record<Ecosystem, AllowEntry[]>>;
  /** Seconds a whole run may spend on the network. */
  timeout?: number;
  /** A shared cache behind the disk cache: `redis://HOST:PORT[/DB]`. */
  cacheUrl?: string;
  /** pip's index-url holds only private packages (true) or mirrors public PyPI (false); unset: asked. */
  privateIndex?: boolean;
  /** `monitor`: report and log, refuse nothing. Only a trusted source may turn it on. */
  mode?: RunMode;
  /** Where audit records go: a file path (relative to this file's folder), `-` or `stderr`. Trusted sources only. */
  auditLog?: string;
  /** Size at which the audit log is renamed to `<file>.1` (default 10 MiB). */
  auditLogMaxBytes?: number;
  /** `slopguard serve`'s age gate in days (`--min-release-age` wins); a project's may only raise it. */
  minReleaseAgeDays?: number;
  /** System config only: nothing below it (user, project, env, flags) may loosen its policy. */
  locked?: boolean;
}

/** Which file a config is: `locked` is valid only in the system config. */
export interface ConfigReadOptions {
  allowLocked?: boolean;
}

// jsonc-parser is for the config files people write by hand; every run reads package.json, which
// JSON.parse almost always takes (~18 ms of a warm `check express` saved).
const jsonc = lazyRequire<typeof Jsonc>('jsonc-parser');
const zod = lazyRequire<{ z: typeof Zod }>('zod');

// zod is ~95 modules and building the schema is work too; most runs find no config file to
// validate, so both wait until one is found (measured: ~15 % of a warm `check express`).
let schemaCache: ReturnType<typeof buildSchema> | undefined;

function buildSchema(z: typeof Zod) {
  const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
  const allowEntry = z.strictObject({ name: z.string().min(1), reason: z.string().min(1, 'say why the name is allowed'), until: day.optional() });
  const count = z.number().int().nonnegative();

  return z.strictObject({
    $schema: z.string().optional(),
    failOn: z.enum(['block', 'warn']).optional(),
    failClosed: z.boolean().optional(),
    thresholds: z
      .strictObject({
        minAgeDays: count,
        minWeeklyDownloads: count,
        typoPopularityRatio: z.number().positive(),
        typoYoungDays: count,
        typoAdoptedWeekly: count,
        typoEstablishedDays: count,
        installScriptMaxAgeDays: count,
        installScriptMinWeeklyDownloads: count,
      })
      .partial()
      .optional(),
    severities: z.partialRecord(z.enum(FINDING_CODES), z.enum(['info', 'warn', 'block', 'off'])).optional(),
    allow: z.strictObject({ npm: z.array(allowEntry), pypi: z.array(allowEntry) }).partial().optional(),
    timeout: z.number().positive().optional(),
    locked: z.boolean().optional(),
    cacheUrl: z.string().min(1).optional(),
    // Whether pip's index-url holds only private packages (true) or mirrors public PyPI (false).
    privateIndex: z.boolean().optional(),
    mode: z.enum(RUN_MODES).optional(),
    auditLog: z.string().min(1).optional(),
    auditLogMaxBytes: z.number().int().min(1024).optional(),
    minReleaseAgeDays: z.number().int().min(0).max(36_500).optional(),
  });
}

function configSchema(): ReturnType<typeof buildSchema> {
  if (!schemaCache) {
    // Synchronous on purpose: settings are loaded synchronously by every door.
    const { z } = zod();
    schemaCache = buildSchema(z);
  }
  return schemaCache;
}

/** Validate parsed JSON as a config; the error names the file and EVERY bad field (dotted path). */
export function validateConfig(value: unknown, file: string, opts: ConfigReadOptions = {}): ConfigFile {
  const result = configSchema().safeParse(value);
  const problems: Array<{ field: string; problem: string }> = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
      problems.push({ field: issue.path.length ? issue.path.join('.') : '(top level)', problem: `${issue.message}${keys}` });
    }
  } else if (result.data.locked !== undefined && !opts.allowLocked) {
    problems.push({ field: 'locked', problem: 'only the system config (SLOPGUARD_SYSTEM_CONFIG, /etc/slopguard/config.json) can lock the policy' });
  }
  if (problems.length) {
    const [first, ...more] = problems;
    throw new ConfigError(file, first!.field, first!.problem, more);
  }
  const { $schema: _ignored, ...config } = result.data!;
  return config as ConfigFile;
}

/** jsonc-parser's error codes, as a person would say them. */
const JSON_PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'unexpected character (keys and strings need double quotes)',
  InvalidNumberFormat: 'not a valid number',
  PropertyNameExpected: 'expected a key in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the key',
  CommaExpected: 'expected "," between entries',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the list',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/** 1-based line and column of a character offset. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Parse JSON text (comments and trailing commas allowed); a syntax error names file:line:column. */
export function parseJsonText(text: string, shown: string): unknown {
  text = text.replace(/^\uFEFF/, '');
  const errors: Jsonc.ParseError[] = [];
  const value = jsonc().parse(text, errors, { allowTrailingComma: true });
  if (errors.length) {
    const { line, column } = lineCol(text, errors[0]!.offset);
    const code = jsonc().printParseErrorCode(errors[0]!.error);
    throw new ConfigError(`${shown}:${line}:${column}`, '(json)', `invalid JSON: ${JSON_PROBLEMS[code] ?? code}`);
  }
  return value;
}

/** A loaded config and where it came from. */
export interface LoadedConfig {
  path: string;
  config: ConfigFile;
  /** SHA-256 of the trusted content (see trust-store.ts `trustedContent`), of the bytes read. */
  hash: string;
}

/** How a config file is shown in messages: relative to cwd when inside it, else as given. */
export function shownPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Validate the text of one config file: `.slopguard.json`, or a package.json's `slopguard` key. */
export function parseConfigText(file: string, text: string, shown: string, opts: ConfigReadOptions = {}): ConfigFile {
  const value = parseJsonText(text, shown);
  if (file.endsWith('package.json')) {
    const section = (value as Record<string, unknown> | null)?.slopguard;
    return validateConfig(section ?? {}, `${shown} (slopguard)`, opts);
  }
  return validateConfig(value, shown, opts);
}

/** Read and validate one config file. */
export function readConfigFile(file: string, cwd: string, opts: ConfigReadOptions = {}): LoadedConfig {
  const shown = shownPath(file, cwd);
  const got = readSettingsFile(file);
  if (got.kind === 'missing') throw new ConfigError(shown, '(file)', 'cannot read: ENOENT');
  if (got.kind === 'refused') {
    const why = got.reason === 'not-regular' ? 'not a regular file (a FIFO, device or folder is never read)' : got.reason === 'too-large' ? `larger than ${MAX_SETTINGS_BYTES / 1024 / 1024} MB` : got.reason;
    throw new ConfigError(shown, '(file)', `cannot read: ${why}`);
  }
  const bytes = got.bytes;
  const config = parseConfigText(file, bytes.toString('utf8'), shown, opts);
  return { path: file, config, hash: sha256(trustedContent(file, bytes)) };
}

/** Whether a package.json (as text) has a `slopguard` key. */
export function hasSlopguardKey(text: string): boolean {
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(text) as Record<string, unknown> | undefined;
  } catch {
    try {
      parsed = jsonc().parse(text, [], { allowTrailingComma: true }) as Record<string, unknown> | undefined;
    } catch {
      // jsonc-parser recurses per nesting level: a hostile package.json of 100k `[` overflows the
      // stack. Such a file names no config; reading it is the extractors' business (a located note).
      return false;
    }
  }
  return !!parsed && typeof parsed === 'object' && 'slopguard' in parsed;
}

/**
 * The folders the project config is searched in, nearest first: from cwd up to the repository
 * root (a folder with `.git`). Outside a repository only cwd itself: climbing further would let
 * a `.slopguard.json` in a shared parent (`/tmp`, a world-writable folder) steer every project
 * below it. The home folder is never left either.
 */
export function configSearchDirs(cwd: string, home: string | undefined): string[] {
  const start = resolve(cwd);
  const dirs: string[] = [];
  for (let dir = start; ; ) {
    dirs.push(dir);
    if (existsSync(join(dir, '.git'))) return dirs;
    const parent = dirname(dir);
    if (parent === dir || (home !== undefined && resolve(home) === dir)) return [start];
    dir = parent;
  }
}

/**
 * Find the project's config in {@link configSearchDirs}: the first `.slopguard.json`, or a
 * package.json with a `slopguard` key.
 */
export function findConfigFile(cwd: string, home?: string): string | undefined {
  for (const dir of configSearchDirs(cwd, home)) {
    const own = join(dir, '.slopguard.json');
    if (existsSync(own)) return own;
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      // An unreadable package.json (or a FIFO in its place) is the extractors' business, not the config loader's.
      const got = readSettingsFile(pkg);
      if (got.kind === 'read' && hasSlopguardKey(got.bytes.toString('utf8'))) return pkg;
    }
  }
  return undefined;
}
