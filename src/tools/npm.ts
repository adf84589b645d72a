/** npm: `npm install|ci|update|exec|create`, with npm's flags. */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool } from './define.js';
import { flagTable, scanArgs } from './flags.js';
import { create, execLike, installNamed, subcommandOf } from './readers.js';

// npm: gh:npm/cli workspaces/config/lib/definitions/definitions.js
export const NPM_FLAGS = flagTable({
  plain:
    '--tag --omit --include --install-strategy -w --workspace --cache --userconfig --globalconfig --before --cpu --os --libc ' +
    '--loglevel --script-shell --otp --lockfile-version --save-prefix --fetch-retries --fetch-retry-factor --fetch-retry-mintimeout ' +
    '--fetch-retry-maxtimeout --fetch-timeout --ca --cafile --cert --key --proxy --https-proxy --noproxy --local-address ' +
    '--maxsockets --auth-type --scope --node-options --location --audit-level --depth --init-module --umask --editor --shell --replace-registry-host',
  registry: '--registry',
  cwd: '--prefix -C',
});
export const NPM_EXEC_FLAGS = flagTable({ package: '--package -p', command: '--call -c' }, NPM_FLAGS);

const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add', 'install-test', 'it']);
const NPM_CI = new Set(['ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean', 'install-ci-test', 'cit']);
const NPM_UPDATE = new Set(['update', 'up', 'upgrade', 'udpate']);

function readNpm(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, NPM_FLAGS);
  if (sub === undefined) return b.sub('', false).done();
  if (NPM_INSTALL.has(sub)) return installNamed(b, 'install', rest, NPM_FLAGS, pre);
  if (NPM_CI.has(sub)) {
    b.sub('ci', true).values(pre.values);
    b.values(scanArgs(rest, NPM_FLAGS).values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (NPM_UPDATE.has(sub)) return installNamed(b, 'update', rest, NPM_FLAGS, pre);
  if (sub === 'exec' || sub === 'x') return execLike(b, 'exec', rest, NPM_EXEC_FLAGS, pre);
  if (sub === 'create' || sub === 'init' || sub === 'innit') return create(b, rest, NPM_FLAGS, pre);
  return b.sub(sub, false).done();
}

export const npm = defineTool({
  id: 'npm',
  ecosystem: 'npm',
  programs: ['npm'],
  corepack: ['npm'],
  installs: ['install', 'ci', 'update', 'exec', 'create'],
  read: (b, args) => readNpm(b, args),
  projectFiles: { lockfiles: ['npm-shrinkwrap.json', 'package-lock.json'], manifests: ['package.json'] },
  discoversProject: true,
  lockfileOnly: { subcommands: ['ci'] },
  wrapping: { wrapped: ['npm'], routed: ['npm'] },
  examples: ['npm install lodash', 'npm i -D typescript', 'npm ci', 'npm update lodash', 'npm exec cowsay', 'npm x -p cowsay cowsay', 'npm create vite', 'npm init vite'],
});
