/**
 * The file view of the doors that stand in front of the user's own install (the wrappers, the
 * agent hooks): the command reads files wherever the user can, so slopguard reads them there too.
 * The port's other rules still hold: regular files only (no device, FIFO, socket or `/proc`
 * entry: `pip install -r /proc/self/environ` is not read), size caps and a run budget.
 */
import { diskAccess, type FileAccess } from '../sources/file-access.js';

/** The disk as the user's command sees it; paths are shown relative to `cwd`. */
export function userFiles(cwd: string): FileAccess {
  return diskAccess({ root: '/', displayBase: cwd });
}
