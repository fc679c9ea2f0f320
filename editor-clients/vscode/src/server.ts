/**
 * Owns the LanguageClient: finds `microagent-lsp`, starts, restarts and stops it, answers the
 * server's `workspace/configuration` with the settings the user set (and, for `sandbox.python`,
 * the interpreter the Python extension selected), and feeds its progress to the status bar.
 * Knows nothing about commands or the UI beyond that.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  State,
  WorkDoneProgressCancelNotification,
} from 'vscode-languageclient/node';

import { ProgressNotifications } from './progressNotification';
import { resolveServerCommand, systemLookup } from './serverCommand';
import { Manifest, SECTION, clientSettings, explicitSettings, interpreterFromSetting, serverKeys, withInterpreter } from './settings';
import type { RunStatus } from './status';

/** The editor's language ids the server serves (its languages.registry); package.json's activationEvents too. */
export const LANGUAGES = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

export class Server implements vscode.Disposable {
  private client?: LanguageClient;
  private interpreterWatch?: Promise<vscode.Disposable | undefined>;
  private readonly keys: string[];
  private readonly notifications = new ProgressNotifications((token) => {
    void this.client?.sendNotification(WorkDoneProgressCancelNotification.type, { token });
  });

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    private readonly status: RunStatus,
    private readonly changed: () => void,
  ) {
    this.keys = serverKeys(context.extension.packageJSON as Manifest);
  }

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  async start(): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const found = resolveServerCommand(clientSettings(vscode.workspace.getConfiguration(SECTION)), systemLookup(folders));
    if (!found.ok) {
      this.setState('missing');
      this.output.appendLine(found.message);
      const choice = await vscode.window.showErrorMessage(found.message, 'Open Settings', 'Show Output');
      if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server`);
      } else if (choice === 'Show Output') {
        this.output.show();
      }
      return;
    }
    const { command, args, how } = found.server;
    this.output.appendLine(`starting ${command} ${args.join(' ')} (found through ${how})`);
    const client = new LanguageClient(
      SECTION,
      'micro-agent',
      { command, args, options: { cwd: folders[0] } },
      this.clientOptions(),
    );
    client.onDidChangeState((event) => {
      this.setState(event.newState === State.Running ? 'running' : event.newState === State.Starting ? 'starting' : 'stopped');
    });
    this.client = client;
    this.setState('starting');
    try {
      await client.start();
      this.interpreterWatch ??= pythonEnvironments().then((environments) =>
        environments?.onDidChangeActiveEnvironmentPath?.(() => void this.settingsChanged()),
      );
    } catch (error) {
      this.setState('stopped');
      this.output.appendLine(`micro-agent: the server did not start: ${String(error)}`);
      void vscode.window.showErrorMessage(`micro-agent: the server did not start (${command}). See the micro-agent output.`);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client && client.state !== State.Stopped) {
      await client.stop();
    }
    this.setState('stopped');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Ask the server to read its settings again (it pulls them with workspace/configuration). */
  async settingsChanged(): Promise<void> {
    if (this.running) {
      await this.client?.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }
  }

  /** Run one of the server's `microagent.*` commands with `{uri, target}`. */
  async execute(command: string, argument: { uri?: string; target?: string }): Promise<Record<string, unknown> | undefined> {
    if (!this.client || !this.running) {
      void vscode.window.showWarningMessage('micro-agent: the server is not running. Run "Micro-agent: Restart Server".');
      return undefined;
    }
    const answer: unknown = await this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] });
    return answer && typeof answer === 'object' ? (answer as Record<string, unknown>) : undefined;
  }

  dispose(): void {
    this.notifications.dispose();
    void this.interpreterWatch?.then((watch) => {
      watch?.dispose();
    });
    void this.stop();
  }

  private setState(state: RunStatus['server']): void {
    this.status.server = state;
    this.changed();
  }

  private clientOptions(): LanguageClientOptions {
    return {
      documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
      outputChannel: this.output,
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            if (answers instanceof ResponseError) {
              return answers;
            }
            return Promise.all(
              params.items.map(async (item, i): Promise<unknown> => {
                if (item.section !== SECTION) {
                  return answers[i] as unknown;
                }
                const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
                const settings = explicitSettings(vscode.workspace.getConfiguration(SECTION, scope), this.keys);
                return withInterpreter(settings, await selectedInterpreter(scope));
              }),
            );
          },
        },
        // A notification with a Cancel button instead of the client's own status bar
        // spinner, which cannot be cancelled: so `next` is not called.
        handleWorkDoneProgress: (token, params) => {
          this.notifications.handle(token, params);
          this.status.progress(token, params);
          this.changed();
        },
      },
    };
  }
}

/** The part of the Python extension's API (ms-python.python) used here; that extension is optional. */
interface PythonEnvironments {
  getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
  resolveEnvironment(
    environment: { id: string; path: string },
  ): Promise<{ executable: { uri?: vscode.Uri }; environment?: unknown } | undefined>;
  onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
}

async function pythonEnvironments(): Promise<PythonEnvironments | undefined> {
  const extension = vscode.extensions.getExtension<{ environments?: PythonEnvironments }>('ms-python.python');
  try {
    const api = extension && (extension.isActive ? extension.exports : await extension.activate());
    return api?.environments;
  } catch {
    return undefined;
  }
}

/**
 * The interpreter selected for `scope` in the Python extension, if it is an environment (a venv,
 * conda, …): a global interpreter lacks the project's packages as much as microagent's own, and
 * the server's own choice (the workspace's .venv) is then the better one. Without that extension,
 * `python.defaultInterpreterPath`, if the user set it to a path.
 */
async function selectedInterpreter(scope: vscode.Uri | undefined): Promise<string | undefined> {
  const environments = await pythonEnvironments();
  if (environments) {
    try {
      const resolved = await environments.resolveEnvironment(environments.getActiveEnvironmentPath(scope));
      return resolved?.environment ? resolved.executable.uri?.fsPath : undefined;
    } catch {
      return undefined;
    }
  }
  const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : vscode.workspace.workspaceFolders?.[0];
  const seen = vscode.workspace.getConfiguration('python', scope).inspect<string>('defaultInterpreterPath');
  const value = seen?.workspaceFolderValue ?? seen?.workspaceValue ?? seen?.globalValue;
  return interpreterFromSetting(value, folder?.uri.fsPath, os.homedir());
}
