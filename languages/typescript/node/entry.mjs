// microagent's entry for a vitest or jest run: it starts the runner in this process and writes
// what really happened as one line, `<secret> {json}`, at the end. Sent as the source of
// `node --input-type=module -e`, so the workspace cannot replace it; its parameters come as
// JSON in argv[1]. It must read the run's secret before any workspace code is loaded (the
// runner's config file runs in this process), and test files must only ever run in worker
// processes, never in this one (vitest: the forks pool; jest: workers, never in band).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const SECRET = readSecret();
const write = fs.writeSync;
const stringify = JSON.stringify;
const NO_RECORD_EXIT = 70; // this process ended without writing its record: never a pass
const RECORD_LIMIT = 200_000; // bytes of JSON; tracebacks are dropped first
const TRACEBACK_LINES = 40;
const MESSAGE_LINES = 12;
let recorded = false;

// Leaving without the record must not look like success, whoever calls process.exit.
process.on('exit', () => {
  if (!recorded) process.exitCode = NO_RECORD_EXIT;
});
// A worker may signal this process; SIGUSR1 would open the inspector, and with it this memory.
process.on('SIGUSR1', () => {});
// Workers forked with process.execArgv would run this script again.
process.execArgv.splice(0);

const params = JSON.parse(process.argv[1]);
const cwd = process.cwd();
const modules = params.modules ? path.resolve(params.modules) : path.join(cwd, 'node_modules');
const guards = writeGuards(params.guard);
// With a name pattern, the tests it leaves out are not part of the run (a test it names that
// was skipped, by `.skip` or by a `.only` elsewhere, is).
const named = params.pattern ? new RegExp(params.pattern, 'i') : null;
const selected = (titles) => !named || named.test(titles.join(' '));

function readSecret() {
  // stdin's first line, read before anything else; the backend writes it and closes the pipe
  const buffer = Buffer.alloc(4096);
  let size = 0;
  while (size < buffer.length && !buffer.subarray(0, size).includes(10)) {
    let got;
    try {
      got = fs.readSync(0, buffer, size, buffer.length - size, null);
    } catch (error) {
      if (error.code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      break;
    }
    if (!got) break;
    size += got;
  }
  const line = buffer.subarray(0, size).toString('latin1').split('\n')[0].trim();
  buffer.fill(0);
  return line;
}

function writeGuards(source) {
  // Two setup files of ours, around the workspace's: `first` before any workspace code runs in
  // a test file's realm, `last` after the workspace's own setup files.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microagent-guard-'));
  const made = {};
  for (const phase of ['first', 'last']) {
    const file = path.join(dir, `${phase}.js`);
    made[phase] = { path: file, source: `(${source})(${stringify(phase)});\n` };
    fs.writeFileSync(made[phase].path, made[phase].source);
  }
  return made;
}

function linkModules() {
  // The test files import the runner from the workspace's node_modules: the same one as ours.
  const link = path.join(cwd, 'node_modules');
  if (!params.modules) return;
  try {
    fs.lstatSync(link);
  } catch {
    fs.symlinkSync(modules, link, 'dir');
  }
}

function exportPath(packageDir, subpath) {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  let entry = manifest.exports?.[subpath];
  while (entry && typeof entry === 'object') entry = entry.import ?? entry.node ?? entry.default;
  return path.join(packageDir, entry ?? manifest.module ?? manifest.main);
}

function installed(name) {
  const dir = path.join(modules, name);
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    throw new Error(`${name} is not installed in ${modules} (npm install --save-dev ${name})`);
  }
  return dir;
}

function version(packageDir) {
  return JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
}

function relative(file) {
  return path.relative(cwd, file).split(path.sep).join('/');
}

function tail(text, keep = TRACEBACK_LINES) {
  const lines = String(text ?? '').replace(/\n+$/, '').split('\n');
  if (lines.length <= keep) return lines.join('\n');
  return [`[... ${lines.length - keep} earlier lines ...]`, ...lines.slice(-keep)].join('\n');
}

function firstLines(text, keep = MESSAGE_LINES) {
  return String(text).split('\n').map((line) => line.trim()).filter(Boolean).slice(0, keep)
    .join('\n');
}

function errorText(error) {
  if (!error) return ['', ''];
  const message = firstLines(error.message ?? error);
  const stack = [error.stack ?? error.message ?? String(error), error.diff].filter(Boolean);
  const named = error.name && error.name !== 'Error' ? `${error.name}: ${message}` : message;
  return [named, tail(stack.join('\n'))];
}

function fileError(record, file, message, traceback) {
  // A test file that could not be loaded: a collection error, and an error case for the file.
  record.errors.push(`${file}: ${message}`);
  record.cases.push({ node_id: file, outcome: 'error', file, message, traceback });
}

// ---- vitest

async function runVitest(record) {
  const vitestDir = installed('vitest');
  const { startVitest } = await import(pathToFileURL(exportPath(vitestDir, './node')).href);
  record.version = version(vitestDir);
  const served = new Map(Object.values(guards).map((guard) => [guard.path, guard.source]));
  const plugin = {
    name: 'microagent-guard',
    enforce: 'pre',
    config(config) {
      config.test ??= {};
      const theirs = [config.test.setupFiles ?? []].flat();
      config.test.setupFiles = [guards.first.path, ...theirs, guards.last.path];
    },
    load(id) {
      return served.get(id); // from memory: the file on disk is only there to be resolved
    },
  };
  const filters = params.files.map((file) => path.resolve(cwd, file));
  const options = {
    run: true, watch: false, root: cwd, reporters: ['default'], pool: 'forks', allowOnly: true,
    includeTaskLocation: true, update: false, passWithNoTests: true, api: false, ui: false,
    coverage: { enabled: false }, browser: { enabled: false }, typecheck: { enabled: false },
    testNamePattern: params.pattern || undefined,
  };
  const vitest = await startVitest('test', filters, options, { plugins: [plugin] });
  const code = Number(process.exitCode ?? 0);
  for (const file of vitest?.state.getFiles() ?? []) {
    const where = relative(file.filepath);
    if (file.result?.state === 'fail' && !hasTests(file)) {
      fileError(record, where, ...errorText(file.result.errors?.[0]));
    } else {
      vitestTasks(record, where, file, []);
    }
  }
  for (const error of vitest?.state.getUnhandledErrors() ?? []) {
    record.unhandled.push(errorText(error)[0]);
  }
  return code;
}

function hasTests(task) {
  return (task.tasks ?? []).some((child) => child.type === 'test' || hasTests(child));
}

function vitestTasks(record, file, suite, titles) {
  const errors = suite.result?.errors ?? [];
  if (suite.result?.state === 'fail' && errors.length && hasTests(suite)) {
    const [message, traceback] = errorText(errors[0]); // a hook of the suite failed
    const node = titles.length ? `${file}::${titles.join(' > ')}` : file;
    record.cases.push({ node_id: node, outcome: 'error', file, message, traceback });
  }
  for (const task of suite.tasks ?? []) {
    const names = [...titles, task.name];
    if (task.type !== 'test') {
      vitestTasks(record, file, task, names);
      continue;
    }
    if (!selected(names)) continue;
    const state = task.result?.state;
    let outcome = state === 'pass' ? 'passed' : state === 'fail' ? 'failed' : 'skipped';
    if (task.fails && outcome === 'passed') outcome = 'xfailed';
    const [message, traceback] = errorText(task.result?.errors?.[0]);
    const why = { todo: 'todo', skip: 'skipped' }[task.mode] ?? 'did not run';
    record.cases.push({
      node_id: `${file}::${names.join(' > ')}`, outcome, file, line: task.location?.line ?? null,
      message: outcome === 'skipped' ? why : message,
      traceback: outcome === 'failed' ? traceback : '',
      duration: (task.result?.duration ?? 0) / 1000,
    });
  }
}

// ---- jest

async function runJest(record) {
  const jestDir = installed('jest');
  const require = createRequire(path.join(jestDir, 'package.json'));
  const { runCLI } = require(jestDir);
  const { readConfigs } = createRequire(require.resolve('@jest/core'))('jest-config');
  record.version = version(jestDir);
  const argv = {
    _: params.files.map((file) => path.resolve(cwd, file)), $0: 'jest', ci: true, cache: false,
    watch: false, watchAll: false, runInBand: false, detectOpenHandles: false, coverage: false,
    // a memory limit makes jest use workers even for one test file (never this process)
    workerIdleMemoryLimit: '2GB', runTestsByPath: params.files.length > 0,
    testLocationInResults: true, passWithNoTests: true, // else it calls process.exit
    testNamePattern: params.pattern || undefined,
  };
  const { configs } = await readConfigs(argv, [cwd]);
  const theirs = configs[0]?.setupFilesAfterEnv ?? [];
  argv.setupFilesAfterEnv = [guards.first.path, ...theirs, guards.last.path];
  const { results } = await runCLI(argv, [cwd]);
  for (const file of results.testResults) {
    const where = relative(file.testFilePath);
    if (file.testExecError || (file.failureMessage && !file.testResults.length)) {
      const text = String(file.failureMessage ?? file.testExecError?.message ?? '');
      fileError(record, where, jestMessage(text.replace(/^\s*● Test suite failed to run/, '')),
        tail(text));
    }
    for (const test of file.testResults) {
      const titles = [...test.ancestorTitles, test.title];
      if (!selected(titles)) continue;
      const outcome = { passed: 'passed', failed: 'failed' }[test.status] ?? 'skipped';
      const failure = String(test.failureMessages?.[0] ?? '');
      record.cases.push({
        node_id: `${where}::${titles.join(' > ')}`, outcome, file: where,
        line: test.location?.line ?? null, duration: (test.duration ?? 0) / 1000,
        message: outcome === 'skipped' ? test.status : jestMessage(failure),
        traceback: outcome === 'failed' ? tail(failure) : '',
      });
    }
  }
  return results.success ? 0 : 1;
}

function jestMessage(failure) {
  // "Error: expect(received).toBe(expected) ...\n\nExpected: 3\nReceived: -1\n    at ...";
  // a file jest could not parse: its advice, then "Details:" and the syntax error
  const details = /\n\s*Details:\s*\n/.exec(failure);
  const text = details ? failure.slice(details.index + details[0].length) : failure;
  const stack = text.search(/\n\s+at /);
  return firstLines(stack >= 0 ? text.slice(0, stack) : text).replace(/^Error: /, '');
}

// ---- the record

function writeRecord(record) {
  let text = stringify(record).replaceAll(stringify(cwd + path.sep).slice(1, -1), '');
  if (text.length > RECORD_LIMIT) {
    for (const found of record.cases) found.traceback = '';
    text = stringify(record).replaceAll(stringify(cwd + path.sep).slice(1, -1), '');
  }
  let data = Buffer.from(`\n${SECRET} ${text}\n`);
  while (data.length) {
    try {
      data = data.subarray(write(1, data));
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
  recorded = true;
}

const record = { runner: params.runner, version: '', exit: 1, cases: [], errors: [],
  unhandled: [] };
try {
  linkModules();
  record.exit = params.runner === 'jest' ? await runJest(record) : await runVitest(record);
} catch (error) {
  console.error(`microagent: ${params.runner} could not run: ${error?.stack ?? error}`);
  record.exit = 1;
  record.errors.push(`${params.runner} could not run: ${errorText(error)[0]}`);
}
writeRecord(record);
process.exit(record.exit);
