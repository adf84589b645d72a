import { existsSync, readFileSync } from 'node:fs';
import { lazyRequire } from '../core/lazy-require.js';
import { dirname, join, relative, resolve } from 'node:path';
import type * as Jsonc from 'jsonc-parser';
import type { z as Zod } from 'zod';
import { ConfigError } from '../core/errors.js';
import { FINDING_CODES, type AllowEntry, type Ecosystem, type FindingCode, type SeveritySetting, type Thresholds } from '../core/types.js';

/** What a config file may set. Every field is optional; unknown fields are errors (typos in config must not pass silently). */
export interface ConfigFile {
  failOn?: 'block' | 'warn';
  failClosed?: boolean;
  thresholds?: Partial<Thresholds>;
  severities?: Partial<Record<FindingCode, SeveritySetting>>;
  allow?: Partial<Record<Ecosystem, AllowEntry[]>>;
  /** Seconds a whole run may spend on the network. */
  timeout?: number;
  /** pip's index-url holds only private packages (true) or mirrors public PyPI (false); unset: asked. */
  privateIndex?: boolean;
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
    severities: z.partialRecord(z.enum(FINDING_CODES as [FindingCode, ...FindingCode[]]), z.enum(['info', 'warn', 'block', 'off'])).optional(),
    allow: z.strictObject({ npm: z.array(allowEntry), pypi: z.array(allowEntry) }).partial().optional(),
    timeout: z.number().positive().optional(),
    // Whether pip's index-url holds only private packages (true) or mirrors public PyPI (false).
    privateIndex: z.boolean().optional(),
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

/** Validate parsed JSON as a config; the error names the file and the dotted field. */
export function validateConfig(value: unknown, file: string): ConfigFile {
  const result = configSchema().safeParse(value);
  if (result.success) {
    const { $schema: _ignored, ...config } = result.data;
    return config as ConfigFile;
  }
  const issue = result.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  const field = issue.path.length ? issue.path.join('.') : '(top level)';
  throw new ConfigError(file, field, `${issue.message}${keys}`);
}

/** 1-based line and column of a character offset. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Parse JSON (comments and trailing commas allowed); a syntax error names file:line:column. */
function parseJsonFile(file: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new ConfigError(shown, '(file)', `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const errors: Jsonc.ParseError[] = [];
  const value = jsonc().parse(text, errors, { allowTrailingComma: true });
  if (errors.length) {
    const { line, column } = lineCol(text, errors[0]!.offset);
    throw new ConfigError(`${shown}:${line}:${column}`, '(json)', `invalid JSON: ${jsonc().printParseErrorCode(errors[0]!.error)}`);
  }
  return value;
}

/** A loaded config and where it came from. */
export interface LoadedConfig {
  path: string;
  config: ConfigFile;
}

/** Read and validate one config file: `.slopguard.json`, or a package.json's `slopguard` key. */
export function readConfigFile(file: string, cwd: string): LoadedConfig {
  const shown = relative(cwd, file) || file;
  const value = parseJsonFile(file, shown);
  if (file.endsWith('package.json')) {
    const section = (value as Record<string, unknown> | null)?.slopguard;
    return { path: file, config: validateConfig(section ?? {}, `${shown} (slopguard)`) };
  }
  return { path: file, config: validateConfig(value, shown) };
}

/**
 * Find the project's config: walk up from cwd to the repository root (a directory with `.git`),
 * taking the first `.slopguard.json`, or a package.json with a `slopguard` key.
 */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const own = join(dir, '.slopguard.json');
    if (existsSync(own)) return own;
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const text = readFileSync(pkg, 'utf8');
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = JSON.parse(text) as Record<string, unknown> | undefined;
        } catch {
          parsed = jsonc().parse(text, [], { allowTrailingComma: true }) as Record<string, unknown> | undefined;
        }
        if (parsed && typeof parsed === 'object' && 'slopguard' in parsed) return pkg;
      } catch {
        // An unreadable package.json is the extractors' business, not the config loader's.
      }
    }
    const parent = dirname(dir);
    if (existsSync(join(dir, '.git')) || parent === dir) return undefined;
    dir = parent;
  }
}
