import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { clientSettings, explicitSettings, interpreterFromSetting, reactionTo, serverKeys, withInterpreter } from '../settings';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as object;

type Inspected = { defaultValue?: unknown; globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown };

function configWith(values: Record<string, Inspected>) {
  return {
    inspect: <T>(key: string) => (key in values ? { key, ...values[key] } : undefined) as { key: string; defaultValue?: T } | undefined,
    get: <T>(key: string) => {
      const v = values[key];
      return (v?.workspaceFolderValue ?? v?.workspaceValue ?? v?.globalValue ?? v?.defaultValue) as T;
    },
  };
}

test('the server is sent its own settings, never the extension-only ones', () => {
  const keys = serverKeys(manifest);
  assert.ok(keys.includes('coder.model'));
  assert.ok(keys.includes('loop.maxIterations'));
  assert.ok(keys.includes('confirmEdits'));
  for (const key of ['sandbox.python', 'sandbox.requirements', 'sandbox.dependencyEdits', 'sandbox.setup']) {
    assert.ok(keys.includes(key), key);
  }
  assert.ok(!keys.includes('sandbox.setupNetwork'), 'sandbox.setupNetwork was removed from the server');
  assert.ok(!keys.some((k) => k.startsWith('server.') || k.startsWith('trace.')), keys.join(', '));
});

test('only values the user set are sent, nested by their dots, the narrowest scope winning', () => {
  const config = configWith({
    'coder.model': { defaultValue: 'local/qwen2.5-coder-1.5b', globalValue: 'openai/gpt-4o-mini' },
    'loop.maxIterations': { defaultValue: 4, globalValue: 2, workspaceValue: 6 },
    'sandbox.backend': { defaultValue: 'auto', workspaceValue: 'docker', workspaceFolderValue: 'process' },
    'confirmEdits': { defaultValue: false, workspaceValue: false },
    'reviewer.model': { defaultValue: 'local/qwen2.5-coder-1.5b' },
  });
  const sent = explicitSettings(config, ['coder.model', 'loop.maxIterations', 'sandbox.backend', 'confirmEdits', 'reviewer.model']);
  assert.deepEqual(sent, {
    coder: { model: 'openai/gpt-4o-mini' },
    loop: { maxIterations: 6 },
    sandbox: { backend: 'process' },
    confirmEdits: false,
  });
});

test('nothing set sends an empty object, so pyproject.toml and MICROAGENT_* apply', () => {
  assert.deepEqual(explicitSettings(configWith({ 'coder.model': { defaultValue: 'x' } }), ['coder.model']), {});
});

test('the extension reads where the server is and how much it logs', () => {
  const config = configWith({
    'server.path': { defaultValue: '', globalValue: '  ~/bin/microagent-lsp ' },
    'server.pythonPath': { defaultValue: '' },
    'server.logLevel': { defaultValue: 'WARNING', workspaceValue: 'INFO' },
  });
  assert.deepEqual(clientSettings(config), { serverPath: '~/bin/microagent-lsp', pythonPath: '', logLevel: 'INFO' });
});

test('a change to microagent.server.* restarts the server; other microagent settings refresh it', () => {
  assert.equal(reactionTo((s) => ['microagent', 'microagent.server'].includes(s)), 'restart');
  assert.equal(reactionTo((s) => s === 'microagent'), 'refresh');
  assert.equal(reactionTo(() => false), 'none');
});

test("the Python extension's interpreter fills in sandbox.python unless the user set one", () => {
  const venv = '/work/project/.venv/bin/python';
  assert.deepEqual(withInterpreter({}, venv), { sandbox: { python: venv } });
  assert.deepEqual(withInterpreter({ sandbox: { backend: 'process' }, coder: { model: 'x' } }, venv), {
    sandbox: { backend: 'process', python: venv },
    coder: { model: 'x' },
  });
  assert.deepEqual(withInterpreter({ sandbox: { python: '/opt/py/bin/python3' } }, venv), { sandbox: { python: '/opt/py/bin/python3' } });
  assert.deepEqual(withInterpreter({ sandbox: { python: '' } }, venv), { sandbox: { python: '' } });
  assert.deepEqual(withInterpreter({ loop: { review: true } }, undefined), { loop: { review: true } });
});

test('python.defaultInterpreterPath counts only when it names an interpreter by its path', () => {
  assert.equal(interpreterFromSetting('python', '/work/p', '/home/me'), undefined);
  assert.equal(interpreterFromSetting(undefined, '/work/p', '/home/me'), undefined);
  assert.equal(interpreterFromSetting('${workspaceFolder}/.venv/bin/python', '/work/p', '/home/me'), '/work/p/.venv/bin/python');
  assert.equal(interpreterFromSetting('${workspaceFolder}/.venv/bin/python', undefined, '/home/me'), undefined);
  assert.equal(interpreterFromSetting('~/venvs/p/bin/python', '/work/p', '/home/me'), '/home/me/venvs/p/bin/python');
  assert.equal(interpreterFromSetting(' .venv/bin/python ', '/work/p', '/home/me'), '.venv/bin/python');
});
