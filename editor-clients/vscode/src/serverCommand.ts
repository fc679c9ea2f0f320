/**
 * Where `microagent-lsp` is: `microagent.server.path`, else `microagent.server.pythonPath` run as
 * `python -m microagent.server.lsp.main`, else the workspace's virtual environment, else PATH. When nothing
 * is found the answer is a message that says what to do. Pure, given a `Lookup`.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { ClientSettings } from './settings';

export const EXECUTABLE = 'microagent-lsp';
export const MODULE = 'microagent.server.lsp.main';
const VENVS = ['.venv', 'venv'];

export interface ServerCommand {
  command: string;
  args: string[];
  /** How it was found, for the output channel. */
  how: string;
}

export type Resolution = { ok: true; server: ServerCommand } | { ok: false; message: string };

export interface Lookup {
  platform: string;
  pathEnv: string;
  home: string;
  folders: string[];
  isExecutable(file: string): boolean;
}

export function resolveServerCommand(settings: ClientSettings, lookup: Lookup): Resolution {
  const logArgs = ['--log-level', settings.logLevel || 'WARNING'];
  if (settings.serverPath) {
    const file = findConfigured(settings.serverPath, lookup);
    return file
      ? { ok: true, server: { command: file, args: logArgs, how: 'microagent.server.path' } }
      : { ok: false, message: notThere('microagent.server.path', settings.serverPath) };
  }
  if (settings.pythonPath) {
    const file = findConfigured(settings.pythonPath, lookup);
    return file
      ? {
          ok: true,
          server: { command: file, args: ['-m', MODULE, ...logArgs], how: 'microagent.server.pythonPath' },
        }
      : { ok: false, message: notThere('microagent.server.pythonPath', settings.pythonPath) };
  }
  const windows = lookup.platform === 'win32';
  const names = windows ? [`${EXECUTABLE}.exe`, `${EXECUTABLE}.cmd`] : [EXECUTABLE];
  const paths = windows ? path.win32 : path.posix;
  for (const folder of lookup.folders) {
    for (const venv of VENVS) {
      for (const name of names) {
        const file = paths.join(folder, venv, windows ? 'Scripts' : 'bin', name);
        if (lookup.isExecutable(file)) {
          return { ok: true, server: { command: file, args: logArgs, how: `the workspace's ${venv}` } };
        }
      }
    }
  }
  for (const dir of lookup.pathEnv.split(windows ? ';' : ':').filter(Boolean)) {
    for (const name of names) {
      const file = paths.join(dir, name);
      if (lookup.isExecutable(file)) {
        return { ok: true, server: { command: file, args: logArgs, how: 'PATH' } };
      }
    }
  }
  return {
    ok: false,
    message:
      `micro-agent: the language server \`${EXECUTABLE}\` was not found in the workspace's ` +
      `.venv or on PATH. Install microagent (\`make install\` in its repository, or \`pip install\` ` +
      `it into your environment), or set microagent.server.path to the executable or ` +
      `microagent.server.pythonPath to a Python that has it.`,
  };
}

/** `~`, `${workspaceFolder}` and relative paths (to the first folder), or a bare name on PATH. */
function findConfigured(setting: string, lookup: Lookup): string | undefined {
  const windows = lookup.platform === 'win32';
  const paths = windows ? path.win32 : path.posix;
  let file = setting.replace(/\$\{workspaceFolder\}/g, lookup.folders[0] ?? '');
  if (file === '~' || file.startsWith('~/')) {
    file = lookup.home + file.slice(1);
  }
  if (!file.includes('/') && !file.includes('\\')) {
    const dirs = lookup.pathEnv.split(windows ? ';' : ':').filter(Boolean);
    return dirs.map((dir) => paths.join(dir, file)).find((f) => lookup.isExecutable(f));
  }
  if (!paths.isAbsolute(file) && lookup.folders[0]) {
    file = paths.join(lookup.folders[0], file);
  }
  return lookup.isExecutable(file) ? file : undefined;
}

function notThere(setting: string, value: string): string {
  return `micro-agent: ${setting} is "${value}", but no executable file is there. Fix the setting, or clear it to look in the workspace's .venv and on PATH.`;
}

/** A Lookup on the real file system and environment. */
export function systemLookup(folders: string[]): Lookup {
  return {
    platform: process.platform,
    pathEnv: process.env.PATH ?? '',
    home: process.env.HOME ?? process.env.USERPROFILE ?? '',
    folders,
    isExecutable(file: string): boolean {
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    },
  };
}
