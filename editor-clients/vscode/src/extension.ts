/**
 * The micro-agent extension: wires the output channel, the status bar item, the server and the
 * palette commands together, and restarts or refreshes the server when its settings change.
 */
import * as vscode from 'vscode';

import { registerCommands } from './commands';
import { Server } from './server';
import { reactionTo } from './settings';
import { RunStatus } from './status';

let server: Server | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('micro-agent');
  const status = new RunStatus();
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  const render = () => {
    const view = status.view();
    item.text = view.text;
    item.tooltip = view.tooltip;
    item.command = view.command;
  };
  render();
  item.show();

  server = new Server(context, output, status, render);
  context.subscriptions.push(output, item, server);
  registerCommands(context, server, output);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      const reaction = reactionTo((section) => event.affectsConfiguration(section));
      if (reaction === 'restart') {
        await server?.restart();
      } else if (reaction === 'refresh') {
        await server?.settingsChanged();
      }
    }),
  );
  await server.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
