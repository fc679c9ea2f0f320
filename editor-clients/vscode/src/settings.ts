/**
 * The `microagent.*` settings: the few the extension reads to start the server, and the rest,
 * which it hands to the server when asked (`workspace/configuration`). Only values the user set
 * are sent, so `[tool.microagent]` in pyproject.toml and MICROAGENT_* variables still apply.
 * Imports nothing from `vscode` at run time, so node's test runner can test it.
 */
import type { WorkspaceConfiguration } from 'vscode';

export const SECTION = 'microagent';
/** Keys under `microagent.` that only the extension reads; the server would reject them. */
const CLIENT_ONLY = ['server.', 'trace.'];

export interface ClientSettings {
  serverPath: string;
  pythonPath: string;
  logLevel: string;
}

export function clientSettings(config: Pick<WorkspaceConfiguration, 'get'>): ClientSettings {
  return {
    serverPath: (config.get<string>('server.path') ?? '').trim(),
    pythonPath: (config.get<string>('server.pythonPath') ?? '').trim(),
    logLevel: config.get<string>('server.logLevel') ?? 'WARNING',
  };
}

export interface Manifest {
  contributes?: { configuration?: { properties?: Record<string, unknown> } };
}

/** The server's setting keys (relative to `microagent.`), as package.json contributes them. */
export function serverKeys(manifest: Manifest): string[] {
  const properties = manifest.contributes?.configuration?.properties ?? {};
  return Object.keys(properties)
    .filter((key) => key.startsWith(`${SECTION}.`))
    .map((key) => key.slice(SECTION.length + 1))
    .filter((key) => !CLIENT_ONLY.some((prefix) => key.startsWith(prefix)));
}

/**
 * What the server gets for the `microagent` section: the values set in the workspace folder,
 * the workspace or the user settings (in that order of precedence), nested by their dots, as
 * `{"coder": {"model": "…"}, "loop": {"maxIterations": 6}}`. Defaults are left out.
 */
export function explicitSettings(
  config: Pick<WorkspaceConfiguration, 'inspect'>,
  keys: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const seen = config.inspect(key);
    const value = seen?.workspaceFolderValue ?? seen?.workspaceValue ?? seen?.globalValue;
    if (value === undefined) {
      continue;
    }
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

/** What a change of settings asks for: a new server process, a settings refresh, or nothing. */
export function reactionTo(affects: (section: string) => boolean): 'restart' | 'refresh' | 'none' {
  if (affects(`${SECTION}.server`)) {
    return 'restart';
  }
  return affects(SECTION) ? 'refresh' : 'none';
}

/**
 * The settings with `sandbox.python` filled in from the editor's own choice of interpreter
 * (`interpreter`), unless the user set `microagent.sandbox.python` themselves.
 */
export function withInterpreter(settings: Record<string, unknown>, interpreter: string | undefined): Record<string, unknown> {
  const sandbox = settings.sandbox;
  const table = sandbox && typeof sandbox === 'object' ? (sandbox as Record<string, unknown>) : undefined;
  if (!interpreter || (sandbox !== undefined && !table) || (table && 'python' in table)) {
    return settings;
  }
  return { ...settings, sandbox: { ...table, python: interpreter } };
}

/**
 * The interpreter `python.defaultInterpreterPath` names, if it names one by its path: not the bare
 * `python` it defaults to, which means "the first on PATH" and would lack the project's packages.
 * `${workspaceFolder}` and `~` are expanded; a relative path is left for the server to take from
 * the workspace folder.
 */
export function interpreterFromSetting(value: string | undefined, folder: string | undefined, home: string): string | undefined {
  let file = (value ?? '').trim();
  if (file.includes('${workspaceFolder}')) {
    if (!folder) {
      return undefined;
    }
    file = file.replace(/\$\{workspaceFolder\}/g, folder);
  }
  if ((file === '~' || file.startsWith('~/')) && home) {
    file = home + file.slice(1);
  }
  return file.includes('/') || file.includes('\\') ? file : undefined;
}
