import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { definitionTarget, enclosing, fixTarget, isTestFile } from '../target';

const REPO = path.join(__dirname, '..', '..', '..', '..');
const calcTests = fs.readFileSync(path.join(REPO, 'examples', 'calc', 'test_calc.py'), 'utf8').split('\n');

const CLASS_TESTS = `import pytest


class TestShelf:
    @pytest.mark.slow
    def test_restock(self):
        def helper():
            return 1

        assert helper() == 1

    def setup_method(self):
        pass
`.split('\n');

const SOURCE = `"""Docs."""


class Shelf:
    def restock(self, n):
        return n


async def total(items):
    return sum(items)
`.split('\n');

test('in a test the target is its pytest node id', () => {
  const line = calcTests.findIndex((l) => l.includes('assert mean([1, 2, 3, 6])'));
  assert.equal(fixTarget('test_calc.py', calcTests, line), 'test_calc.py::test_mean');
  const defLine = calcTests.findIndex((l) => l.startsWith('def test_percent'));
  assert.equal(fixTarget('test_calc.py', calcTests, defLine), 'test_calc.py::test_percent');
});

test('outside any test, or outside a test file, the target is the file', () => {
  assert.equal(fixTarget('test_calc.py', calcTests, 0), 'test_calc.py');
  assert.equal(fixTarget('calc.py', SOURCE, 5), 'calc.py');
});

test('test methods, decorators and nested helpers', () => {
  const assertion = CLASS_TESTS.findIndex((l) => l.includes('assert helper()'));
  assert.equal(fixTarget('tests/test_shelf.py', CLASS_TESTS, assertion), 'tests/test_shelf.py::TestShelf::test_restock');
  const inHelper = CLASS_TESTS.findIndex((l) => l.includes('return 1'));
  assert.equal(fixTarget('tests/test_shelf.py', CLASS_TESTS, inHelper), 'tests/test_shelf.py::TestShelf::test_restock');
  const decorator = CLASS_TESTS.findIndex((l) => l.includes('@pytest.mark.slow'));
  assert.equal(fixTarget('tests/test_shelf.py', CLASS_TESTS, decorator), 'tests/test_shelf.py::TestShelf::test_restock');
  const setup = CLASS_TESTS.findIndex((l) => l.includes('pass'));
  assert.equal(fixTarget('tests/test_shelf.py', CLASS_TESTS, setup), 'tests/test_shelf.py');
});

test('implement and review name the top-level definition', () => {
  assert.equal(definitionTarget('shelf.py', SOURCE, 5), 'shelf.py:Shelf');
  assert.equal(definitionTarget('shelf.py', SOURCE, 9), 'shelf.py:total');
  assert.equal(definitionTarget('shelf.py', SOURCE, 0), undefined);
  assert.deepEqual(enclosing(SOURCE, 5).map((d) => d.name), ['Shelf', 'restock']);
});

test('test files are recognised as the server does', () => {
  for (const rel of ['test_calc.py', 'pkg/calc_test.py', 'conftest.py', 'tests/helpers.py', 'a/tests/b.py']) {
    assert.ok(isTestFile(rel), rel);
  }
  for (const rel of ['calc.py', 'testing.py', 'contest.py']) {
    assert.ok(!isTestFile(rel), rel);
  }
});

const VITEST = `import { describe, it, expect } from 'vitest';
import { sum } from './sum';

describe('sum', () => {
  describe("with negatives", () => {
    it('it\\'s -1 for 1 and -2', () => {
      // a comment at the test's own depth
      expect(sum(1, -2)).toBe(-1);
    });
  });

  it.only(\`adds two numbers\`, async () => {
    expect(sum(1, 2)).toBe(3);
  });
});

test('top level', () => {
  expect(sum(0, 0)).toBe(0);
});
`.split('\n');

const JS_SOURCE = `/** Sums. */
export const TAX = 0.2;

export async function sum(a, b) {
  if (a > b) {
    return a + b;
  }
  return b + a;
}

export default class Cart {
  total() {
    return 0;
  }
}
`.split('\n');

test('in a vitest or jest test the target is its describe titles and its own, as vitest names it', () => {
  const at = (text: string) => VITEST.findIndex((l) => l.includes(text));
  assert.equal(fixTarget('src/sum.test.ts', VITEST, at('toBe(-1)')), "src/sum.test.ts::sum > with negatives > it's -1 for 1 and -2");
  assert.equal(fixTarget('src/sum.test.ts', VITEST, at('a comment')), "src/sum.test.ts::sum > with negatives > it's -1 for 1 and -2");
  assert.equal(fixTarget('src/sum.test.ts', VITEST, at('toBe(3)')), 'src/sum.test.ts::sum > adds two numbers');
  assert.equal(fixTarget('src/sum.test.ts', VITEST, at('it.only')), 'src/sum.test.ts::sum > adds two numbers');
  assert.equal(fixTarget('src/sum.test.ts', VITEST, at('toBe(0)')), 'src/sum.test.ts::top level');
});

test('outside any test in a vitest file, or in its source, the target is the file', () => {
  assert.equal(fixTarget('src/sum.test.ts', VITEST, 0), 'src/sum.test.ts');
  assert.equal(fixTarget('src/sum.test.ts', VITEST, VITEST.findIndex((l) => l.includes('with negatives'))), 'src/sum.test.ts');
  assert.equal(fixTarget('src/sum.js', JS_SOURCE, 5), 'src/sum.js');
});

test('implement and review name a TypeScript or JavaScript top-level definition', () => {
  assert.equal(definitionTarget('src/sum.js', JS_SOURCE, 5), 'src/sum.js:sum');
  assert.equal(definitionTarget('src/sum.js', JS_SOURCE, 3), 'src/sum.js:sum');
  assert.equal(definitionTarget('src/sum.js', JS_SOURCE, 12), 'src/sum.js:Cart');
  assert.equal(definitionTarget('src/sum.js', JS_SOURCE, 1), 'src/sum.js:TAX');
  assert.equal(definitionTarget('src/sum.js', JS_SOURCE, 0), undefined);
});

test('TypeScript and JavaScript test files are recognised as jest and vitest do', () => {
  for (const rel of ['sum.test.ts', 'src/sum.spec.tsx', 'src/__tests__/sum.js', 'lib/x.test.mjs', 'App.test.jsx', 'a.spec.cts']) {
    assert.ok(isTestFile(rel), rel);
  }
  for (const rel of ['src/sum.ts', 'index.js', 'src/testing.ts', 'tests/helpers.ts', 'src/contest.ts', 'vitest.config.ts']) {
    assert.ok(!isTestFile(rel), rel);
  }
});
