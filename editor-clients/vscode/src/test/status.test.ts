import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RunStatus, outcomeOf } from '../status';

// Titles and messages as server/lsp/runs.py and server/lsp/messages.py write them.
const TITLE = 'micro-agent fix test_calc.py::test_mean';

test('a run shows its latest progress, then its outcome', () => {
  const status = new RunStatus();
  status.server = 'running';
  assert.equal(status.view().text, '$(beaker) micro-agent');

  status.progress('microagent-1', { kind: 'begin', title: TITLE, message: 'starting', percentage: 0 });
  assert.equal(status.view().text, '$(loading~spin) micro-agent 0%: starting');
  assert.equal(status.view().command, 'microagent.cancelRun');

  status.progress('microagent-1', { kind: 'report', message: 'candidate 2/24 · 1/2 tests passing · coder writing', percentage: 50 });
  assert.equal(status.view().text, '$(loading~spin) micro-agent 50%: candidate 2/24 · 1/2 tests passing · coder writing');
  assert.match(status.view().tooltip, /test_calc\.py::test_mean/);

  status.progress('microagent-1', { kind: 'end', message: `${TITLE}: solved — tests pass after 1 candidate(s) (the first proposer's): 6/6 tests passing` });
  assert.equal(status.view().text, '$(pass) micro-agent: solved');
  assert.match(status.view().tooltip, /6\/6 tests passing/);
  assert.equal(status.running, 0);
});

test('two runs at once are counted', () => {
  const status = new RunStatus();
  status.server = 'running';
  status.progress(1, { kind: 'begin', title: TITLE });
  status.progress(2, { kind: 'begin', title: 'micro-agent review calc.py:mean' });
  assert.equal(status.view().text, '$(loading~spin) micro-agent: 2 runs');
  status.progress(1, { kind: 'end', message: `${TITLE}: cancelled` });
  assert.match(status.view().text, /micro-agent: micro-agent review calc\.py:mean$/);
});

test('the server state shows when no run is going', () => {
  const status = new RunStatus();
  assert.equal(status.view().text, '$(loading~spin) micro-agent: starting');
  status.server = 'missing';
  assert.equal(status.view().text, '$(warning) micro-agent: server not found');
  status.server = 'stopped';
  assert.equal(status.view().command, 'microagent.restartServer');
});

test('outcome words are read from end messages', () => {
  assert.equal(outcomeOf(`${TITLE}: partly fixed — 5/6 tests passing`), 'partly fixed');
  assert.equal(outcomeOf(`${TITLE}: budget used up — out of time`), 'budget used up');
  assert.equal(outcomeOf(`${TITLE}: cancelled`), 'cancelled');
  assert.equal(outcomeOf(`${TITLE}: stale — test_calc.py changed while micro-agent was running, so its result, judged against the old text, was not applied`), 'stale');
  assert.equal(outcomeOf('something else'), undefined);
});
