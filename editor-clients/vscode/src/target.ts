/**
 * What a palette command acts on, from the cursor: the enclosing test gives `path::Class::test`
 * (Python) or `path::describe > test` (vitest and jest), the enclosing top-level definition gives
 * `path:name`, else the whole file. A scan upward by indentation, for `def`/`class` in Python and
 * for `describe(`/`it(`/`test(` calls and top-level functions in TypeScript and JavaScript, the
 * same one the Neovim plugin falls back to. Pure.
 */

/** Mirrors languages/python/parsed.py TEST_FILE and is_test_file (tests/editors/test_test_file_rule.py). */
const TEST_FILE = /(^|\/)(test_[^/]*\.py|[^/]*_test\.py|conftest\.py)$/;
/** Mirrors languages/typescript/parsed.py is_test_file: jest's and vitest's `*.test.*`, `*.spec.*`, `__tests__/`. */
const JS_SUFFIX = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
const JS_TEST_FILE = /(^|\/)([^/]+\.(?:test|spec)\.[^./]+|__tests__\/.+)$/;
const DEFINITION = /^(\s*)(?:async\s+def|def|class)\s+([A-Za-z_]\w*)/;
/** `describe('sum', () => {`, `it.only("adds", ...`: the call and its title (a plain string literal). */
const JS_CALL = /^\s*(describe|suite|context|fdescribe|xdescribe|it|test|fit|xit|xtest)(?:\.(?:only|skip|concurrent|sequential|fails))*\s*\(\s*(['"`])((?:\\.|(?!\2).)*)\2/;
const JS_TESTS = new Set(['it', 'test', 'fit', 'xit', 'xtest']);
/** A top-level function, class or `const f = ...` (exported or not). */
const JS_DEFINITION = /^(?:export\s+(?:default\s+)?)?(?:declare\s+)?(?:async\s+)?(?:function\*?\s*([A-Za-z_$][\w$]*)|(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)|(?:const|let|var)\s+([A-Za-z_$][\w$]*))/;

export interface Definition {
  kind: 'def' | 'class';
  name: string;
  line: number;
}

export function isTestFile(rel: string): boolean {
  if (JS_SUFFIX.test(rel)) {
    return JS_TEST_FILE.test(rel);
  }
  return TEST_FILE.test(rel) || rel.startsWith('tests/') || rel.includes('/tests/');
}

export function isJavaScript(rel: string): boolean {
  return JS_SUFFIX.test(rel);
}

/** The lines above `line` (0-based) that open a block holding it, innermost first, by indentation. */
function openers(lines: string[], line: number, comment: RegExp): number[] {
  const start = Math.min(Math.max(line, 0), lines.length - 1);
  const found: number[] = [];
  let bound = Infinity;
  for (let i = start; i >= 0; i -= 1) {
    const text = lines[i];
    if (!text.trim() || comment.test(text)) {
      continue;
    }
    const indent = text.length - text.trimStart().length;
    if (i !== start && indent >= bound) {
      continue;
    }
    found.push(i);
    bound = indent;
    if (indent === 0) {
      break;
    }
  }
  return found;
}

const JS_COMMENT = /^\s*(\/\/|\/\*|\*)/;

/** The titles of the describe blocks and the test that hold `line`, outermost first; [] outside a test. */
export function testTitles(lines: string[], line: number): string[] {
  const titles: string[] = [];
  let inTest = false;
  for (const i of openers(lines, line, JS_COMMENT)) {
    const match = JS_CALL.exec(lines[i]);
    if (!match) {
      continue;
    }
    if (JS_TESTS.has(match[1])) {
      if (inTest || titles.length) {
        return []; // a test inside a test, or a test opened above a describe we are in: unknown
      }
      inTest = true;
    }
    titles.unshift(match[3].replace(/\\(.)/g, '$1')); // as the runner reads the literal
  }
  return inTest ? titles : [];
}

/** The definitions that hold `line` (0-based), outermost first. */
export function enclosing(lines: string[], line: number): Definition[] {
  let start = Math.min(Math.max(line, 0), lines.length - 1);
  while (start < lines.length - 1 && /^\s*@/.test(lines[start])) {
    start += 1; // a decorator belongs to the definition below it
  }
  const chain: Definition[] = [];
  let bound = Infinity;
  for (let i = start; i >= 0; i -= 1) {
    const text = lines[i];
    if (!text.trim() || text.trim().startsWith('#')) {
      continue;
    }
    const indent = text.length - text.trimStart().length;
    if (i !== start && indent >= bound) {
      continue;
    }
    const match = DEFINITION.exec(text);
    if (match) {
      chain.unshift({ kind: /^\s*class\b/.test(text) ? 'class' : 'def', name: match[2], line: i });
    }
    bound = indent;
    if (indent === 0) {
      break;
    }
  }
  return chain;
}

/** `path::Class::test_name` for a test, else the file (every failing test in it). */
export function fixTarget(rel: string, lines: string[], line: number): string {
  if (!isTestFile(rel)) {
    return rel;
  }
  if (isJavaScript(rel)) {
    const titles = testTitles(lines, line);
    return titles.length ? `${rel}::${titles.join(' > ')}` : rel;
  }
  const chain = enclosing(lines, line);
  const classes: string[] = [];
  for (const d of chain) {
    if (d.kind === 'class') {
      classes.push(d.name);
      continue;
    }
    const isTest = d.name.startsWith('test') && classes.every((c) => c.startsWith('Test'));
    return isTest ? [rel, ...classes, d.name].join('::') : rel;
  }
  return rel;
}

/** `path:name` of the top-level definition under the cursor, if any. */
export function definitionTarget(rel: string, lines: string[], line: number): string | undefined {
  if (isJavaScript(rel)) {
    const found = openers(lines, line, JS_COMMENT);
    const top = found.length ? JS_DEFINITION.exec(lines[found[found.length - 1]]) : null;
    const name = top && (top[1] ?? top[2] ?? top[3]);
    return name ? `${rel}:${name}` : undefined;
  }
  const [top] = enclosing(lines, line);
  return top ? `${rel}:${top.name}` : undefined;
}
