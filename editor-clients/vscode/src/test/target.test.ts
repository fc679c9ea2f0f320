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
