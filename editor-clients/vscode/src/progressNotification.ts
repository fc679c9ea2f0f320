/**
 * Shows each server run's work-done progress as a notification with a Cancel button.
 * vscode-languageclient would show it only as a status bar spinner (ProgressLocation.Window),
 * which has no Cancel button; this takes its place. Cancel sends
 * `window/workDoneProgress/cancel`, the same request the server handles for any client.
 */
import * as vscode from 'vscode';

import type { Progress } from './status';

interface Open {
  report(message: string | undefined): void;
  end(): void;
}

export class ProgressNotifications implements vscode.Disposable {
  private readonly open = new Map<string, Open>();

  constructor(private readonly cancel: (token: string | number) => void) {}

  /** Feed one `$/progress` value of a work-done token. */
  handle(token: string | number, value: Progress & { cancellable?: boolean }): void {
    const key = String(token);
    if (value.kind === 'begin' && !this.open.has(key)) {
      this.begin(token, key, value);
    } else if (value.kind === 'report') {
      this.open.get(key)?.report(value.message);
    } else if (value.kind === 'end') {
      this.open.get(key)?.end();
      this.open.delete(key);
    }
  }

  dispose(): void {
    for (const run of this.open.values()) {
      run.end();
    }
    this.open.clear();
  }

  private begin(token: string | number, key: string, value: Progress & { cancellable?: boolean }): void {
    let end: () => void = () => undefined;
    let report: (message: string | undefined) => void = () => undefined;
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    this.open.set(key, { report: (message) => report(message), end: () => end() });
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: value.title ?? 'micro-agent', cancellable: value.cancellable ?? false },
      (progress, cancelled) => {
        report = (message) => {
          if (message) {
            progress.report({ message });
          }
        };
        report(value.message);
        cancelled.onCancellationRequested(() => this.cancel(token));
        return ended;
      },
    );
  }
}
