/** Shared types of `slopguard hook install` / `hook uninstall`. */

/** Where a hook is wired: this project (committed), this project only for me (Claude's settings.local.json), or every project of this user. */
export type InstallScope = 'project' | 'local' | 'user';

/** What install/uninstall did to one file. */
export interface InstallResult {
  /** The file written or inspected. */
  file: string;
  status: 'installed' | 'updated' | 'unchanged' | 'removed' | 'absent';
  /** Extra information for the user (chained hook, manual step). */
  note?: string;
}

/** Everything an installer needs to know. */
export interface InstallContext {
  /** The project root (for project/local scope). */
  root: string;
  /** The user's home (for user scope). */
  home: string;
  scope: InstallScope;
  /** How to invoke slopguard from the hook (see command.ts). */
  invocation: string;
}
