/**
 * What a palette command acts on, from the cursor: the enclosing test gives `path::Class::test`,
 * the enclosing top-level definition gives `path:name`, else the whole file. A scan upward for
 * `def`/`class` by indentation, the same one the Neovim plugin falls back to. Pure.
 */

/** Mirrors languages/python/parsed.py TEST_FILE and is_test_file (tests/editors/test_test_file_rule.py). */
const TEST_FILE = /(^|\/)(test_[^/]*\.py|[^/]*_test\.py|conftest\.py)$/;
const DEFINITION = /^(\s*)(?:async\s+def|def|class)\s+([A-Za-z_]\w*)/;

export interface Definition {
  kind: 'def' | 'class';
  name: string;
  line: number;
}

export function isTestFile(rel: string): boolean {
  return TEST_FILE.test(rel) || rel.startsWith('tests/') || rel.includes('/tests/');
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
  const [top] = enclosing(lines, line);
  return top ? `${rel}:${top.name}` : undefined;
}
