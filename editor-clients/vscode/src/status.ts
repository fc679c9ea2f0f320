/**
 * The run state behind the status bar item, driven by the server's work-done progress
 * (begin → report → end; the server sends no other status notification). Pure: it turns
 * progress into text and never touches the UI.
 */

export type ServerState = 'starting' | 'running' | 'stopped' | 'missing';

export interface Progress {
  kind: 'begin' | 'report' | 'end';
  title?: string;
  message?: string;
  percentage?: number;
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** The command a click runs. */
  command: string;
}

interface Run {
  title: string;
  message: string;
  percentage?: number;
}

/** The server's end messages read "<title>: <outcome> — <details>" (server/lsp/messages.py). */
const OUTCOMES: Record<string, string> = {
  solved: 'pass',
  'partly fixed': 'warning',
  'no change': 'circle-slash',
  failed: 'error',
  cancelled: 'circle-slash',
  'budget used up': 'warning',
  // a file the run read changed before it ended: nothing applied, the server offers to run again
  stale: 'history',
};

export class RunStatus {
  server: ServerState = 'starting';
  private readonly runs = new Map<string, Run>();
  private last?: string;

  /** Feed one progress notification. */
  progress(token: string | number, value: Progress): void {
    const key = String(token);
    if (value.kind === 'begin') {
      this.runs.set(key, { title: value.title ?? 'micro-agent', message: value.message ?? '', percentage: value.percentage });
      return;
    }
    const run = this.runs.get(key);
    if (value.kind === 'report' && run) {
      run.message = value.message ?? run.message;
      run.percentage = value.percentage ?? run.percentage;
    } else if (value.kind === 'end') {
      this.runs.delete(key);
      this.last = value.message ?? (run ? `${run.title}: done` : undefined);
    }
  }

  get running(): number {
    return this.runs.size;
  }

  view(): StatusView {
    if (this.server === 'missing') {
      return { text: '$(warning) micro-agent: server not found', tooltip: 'microagent-lsp was not found: see the micro-agent output.', command: 'microagent.showOutput' };
    }
    if (this.server === 'stopped') {
      return { text: '$(debug-disconnect) micro-agent: stopped', tooltip: 'The micro-agent server is not running. Click to restart it.', command: 'microagent.restartServer' };
    }
    if (this.runs.size === 1) {
      const [run] = this.runs.values();
      const percent = run.percentage === undefined ? '' : ` ${run.percentage}%`;
      const what = run.message || run.title;
      return {
        text: `$(loading~spin) micro-agent${percent}: ${what}`,
        tooltip: `${run.title}\n${run.message}\nClick to cancel.`,
        command: 'microagent.cancelRun',
      };
    }
    if (this.runs.size > 1) {
      const lines = [...this.runs.values()].map((r) => `${r.title}: ${r.message}`);
      return {
        text: `$(loading~spin) micro-agent: ${this.runs.size} runs`,
        tooltip: `${lines.join('\n')}\nClick to cancel them.`,
        command: 'microagent.cancelRun',
      };
    }
    if (this.server === 'starting') {
      return { text: '$(loading~spin) micro-agent: starting', tooltip: 'The micro-agent server is starting.', command: 'microagent.showOutput' };
    }
    if (this.last) {
      const outcome = outcomeOf(this.last);
      if (outcome) {
        return { text: `$(${OUTCOMES[outcome]}) micro-agent: ${outcome}`, tooltip: this.last, command: 'microagent.showOutput' };
      }
    }
    return {
      text: '$(beaker) micro-agent',
      tooltip: this.last ?? 'micro-agent is ready: the light bulb on a failing test offers a fix.',
      command: 'microagent.showOutput',
    };
  }
}

/** The outcome word of an end message, such as "solved" or "partly fixed". */
export function outcomeOf(message: string): string | undefined {
  const match = /: ([a-z ]+?)(?: —|$)/.exec(message);
  return match && match[1] in OUTCOMES ? match[1] : undefined;
}
