/**
 * The palette commands: each reads the active editor and the cursor, derives the target the
 * server expects and runs the server's command. The light bulb runs the same server commands
 * through the code actions the server offers.
 */
import * as vscode from 'vscode';

import { LANGUAGES, type Server } from './server';
import { definitionTarget, fixTarget } from './target';

interface Place {
  uri: string;
  rel: string;
  lines: string[];
  line: number;
}

function place(): Place | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !LANGUAGES.includes(editor.document.languageId) || editor.document.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('micro-agent: open a Python, TypeScript or JavaScript file first.');
    return undefined;
  }
  const doc = editor.document;
  return {
    uri: doc.uri.toString(),
    rel: vscode.workspace.asRelativePath(doc.uri, false),
    lines: doc.getText().split(/\r\n|\r|\n/),
    line: editor.selection.active.line,
  };
}

export function registerCommands(context: vscode.ExtensionContext, server: Server, output: vscode.OutputChannel): void {
  const register = (id: string, run: () => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));

  register('microagent.makeTestsPass', async () => {
    const at = place();
    if (at) {
      await server.execute('microagent.fix', { uri: at.uri, target: fixTarget(at.rel, at.lines, at.line) });
    }
  });
  register('microagent.implementFromTests', async () => {
    const at = place();
    const target = at && definitionTarget(at.rel, at.lines, at.line);
    if (at && !target) {
      void vscode.window.showInformationMessage('micro-agent: put the cursor in the function to implement.');
    } else if (at && target) {
      await server.execute('microagent.implement', { uri: at.uri, target });
    }
  });
  register('microagent.reviewCode', async () => {
    const at = place();
    if (at) {
      await server.execute('microagent.review', { uri: at.uri, target: definitionTarget(at.rel, at.lines, at.line) ?? at.rel });
    }
  });
  register('microagent.cancelRun', async () => {
    const answer = await server.execute('microagent.cancel', {});
    if (answer && answer.cancelled === 0) {
      void vscode.window.showInformationMessage('micro-agent: no run to cancel.');
    }
  });
  register('microagent.restartServer', () => server.restart());
  register('microagent.showOutput', () => output.show());
}
