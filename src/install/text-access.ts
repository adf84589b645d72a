/**
 * The file view of a door that judges only the text it is given (`slopguard text`, MCP
 * `check_text`): no file exists except those the text itself writes (laid over this by the
 * planner). A `pip install -r requirements.txt` in an answer names a file of the reader's
 * project, not of the machine slopguard runs on, so it is never read from disk.
 */
import { resolve } from 'node:path';
import type { FileAccess } from '../sources/file-access.js';

/** A view with no files, rooted at `root`. */
export function textOnlyAccess(root: string): FileAccess {
  const base = resolve(root);
  return {
    root: base,
    async kind() {
      return 'missing';
    },
    async readFile(path, options) {
      return { ok: false, path, reason: 'missing', message: `is not part of the text (${resolve(options?.from ?? base, path)} is not read)` };
    },
  };
}
