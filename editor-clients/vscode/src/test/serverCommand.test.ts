import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Lookup, resolveServerCommand } from '../serverCommand';
import type { ClientSettings } from '../settings';

function lookup(files: string[], extra: Partial<Lookup> = {}): Lookup {
  return {
    platform: 'linux',
    pathEnv: '/usr/local/bin:/usr/bin',
    home: '/home/ada',
    folders: ['/work/proj'],
    isExecutable: (file) => files.includes(file),
    ...extra,
  };
}

const plain: ClientSettings = { serverPath: '', pythonPath: '', logLevel: 'WARNING' };

function found(settings: Partial<ClientSettings>, files: string[], extra: Partial<Lookup> = {}) {
  const answer = resolveServerCommand({ ...plain, ...settings }, lookup(files, extra));
  assert.ok(answer.ok, answer.ok ? '' : answer.message);
  return answer.server;
}

test('the workspace virtual environment comes before PATH', () => {
  const server = found({}, ['/work/proj/.venv/bin/microagent-lsp', '/usr/bin/microagent-lsp']);
  assert.equal(server.command, '/work/proj/.venv/bin/microagent-lsp');
  assert.deepEqual(server.args, ['--log-level', 'WARNING']);
  assert.equal(server.how, "the workspace's .venv");
});

test('PATH is searched in order', () => {
  assert.equal(found({}, ['/usr/bin/microagent-lsp']).command, '/usr/bin/microagent-lsp');
});

test('microagent.server.path wins, with ~, ${workspaceFolder} and relative paths expanded', () => {
  const files = ['/home/ada/bin/microagent-lsp', '/work/proj/tools/microagent-lsp', '/usr/bin/microagent-lsp'];
  assert.equal(found({ serverPath: '~/bin/microagent-lsp' }, files).command, '/home/ada/bin/microagent-lsp');
  assert.equal(found({ serverPath: '${workspaceFolder}/tools/microagent-lsp' }, files).command, '/work/proj/tools/microagent-lsp');
  assert.equal(found({ serverPath: 'tools/microagent-lsp' }, files).command, '/work/proj/tools/microagent-lsp');
  assert.equal(found({ serverPath: 'microagent-lsp' }, files).command, '/usr/bin/microagent-lsp');
});

test('a Python interpreter runs the server module, with the log level', () => {
  const server = found({ pythonPath: '/opt/py/bin/python3', logLevel: 'DEBUG' }, ['/opt/py/bin/python3']);
  assert.equal(server.command, '/opt/py/bin/python3');
  assert.deepEqual(server.args, ['-m', 'microagent.server.lsp.main', '--log-level', 'DEBUG']);
});

test('a configured path that is not there says which setting to fix', () => {
  const answer = resolveServerCommand({ ...plain, serverPath: '/nope/microagent-lsp' }, lookup(['/usr/bin/microagent-lsp']));
  assert.equal(answer.ok, false);
  assert.match(answer.ok ? '' : answer.message, /microagent\.server\.path is "\/nope\/microagent-lsp", but no executable/);
});

test('nothing found: the message says how to install it and which settings point to it', () => {
  const answer = resolveServerCommand(plain, lookup([]));
  assert.equal(answer.ok, false);
  const message = answer.ok ? '' : answer.message;
  assert.match(message, /`microagent-lsp` was not found/);
  assert.match(message, /microagent\.server\.path/);
  assert.match(message, /microagent\.server\.pythonPath/);
});

test('on Windows the venv has Scripts and the executable ends in .exe', () => {
  const server = found({}, ['C:\\proj\\.venv\\Scripts\\microagent-lsp.exe'], {
    platform: 'win32',
    folders: ['C:\\proj'],
    pathEnv: 'C:\\Windows',
  });
  assert.equal(server.command, 'C:\\proj\\.venv\\Scripts\\microagent-lsp.exe');
});
