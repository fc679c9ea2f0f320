// microagent's guard, run in each test file's realm as a setup file of the runner (vitest or
// jest): `first` before any workspace code runs there, `last` after the workspace's own setup
// files. It makes what an assertion rests on unchangeable, so code under test cannot turn a
// failing assertion into a passing one by replacing `Object.is`, `Array.prototype.push` (jest
// records a test's errors with it), the global `expect` or a built-in matcher. It is a plain
// function expression, called by the entry script; it imports nothing.
function guard(phase) {
  'use strict';
  const describe = Object.getOwnPropertyDescriptor;
  const define = Object.defineProperty;
  const keys = Reflect.ownKeys;

  function lock(target, names) {
    if (target === null || (typeof target !== 'object' && typeof target !== 'function')) return;
    for (const name of names ?? keys(target)) {
      const found = describe(target, name);
      if (!found || !found.configurable) continue;
      const fixed = 'value' in found
        ? { value: found.value, writable: false }
        : { get: found.get, set: found.set };
      define(target, name, { ...fixed, enumerable: found.enumerable, configurable: false });
    }
  }

  // A prototype's method as a getter and a setter: replacing it on the prototype throws, and
  // setting it on an object that inherits it still makes the object's own property (a
  // non-writable one would throw there too: `error.toString = ...`).
  function lockInherited(target, names) {
    for (const name of names) {
      const found = describe(target, name);
      if (!found || !found.configurable || !('value' in found)) continue;
      const value = found.value;
      define(target, name, {
        get() { return value; },
        set(replacement) {
          if (this === target) {
            throw new TypeError(`microagent: ${String(name)} may not be replaced while tests run`);
          }
          define(this, name, { value: replacement, writable: true, enumerable: true,
            configurable: true });
        },
        enumerable: found.enumerable,
        configurable: false,
      });
    }
  }

  const MATCHERS = Symbol.for('$$jest-matchers-object');
  const VITEST_MATCHERS = Symbol.for('matchers-object');
  const GLOBAL_EXPECT = Symbol.for('expect-global');
  const ASYMMETRIC = Symbol.for('asymmetric-matchers-object');
  const GUARDED = Symbol.for('microagent-guarded');

  function lockMatchers() {
    const store = globalThis[MATCHERS];
    if (store && typeof store === 'object') lock(store.matchers);
    const expect = globalThis[GLOBAL_EXPECT]; // vitest's: chai's Assertion holds the matchers
    if (typeof expect === 'function') {
      try {
        lock(Object.getPrototypeOf(expect(undefined)));
      } catch {
        // not chai's expect: nothing more to lock
      }
    }
  }

  if (phase === 'first') {
    // The intrinsics the matchers and the runners call. Not Promise or Date: zone.js and fake
    // timers replace those, and not Function.prototype.toString: zone.js patches it.
    lock(Object);
    lockInherited(Object.prototype, ['hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable',
      'toString', 'valueOf']);
    lockInherited(Function.prototype, ['call', 'apply', 'bind']);
    lock(Array, ['isArray', 'from', 'of']);
    // Not Symbol.iterator, values or constructor: V8's fast paths for arrays watch those.
    lockInherited(Array.prototype, ['push', 'pop', 'shift', 'unshift', 'splice', 'slice',
      'concat', 'join', 'indexOf', 'includes', 'every', 'some', 'filter', 'map', 'forEach',
      'reduce', 'find', 'findIndex', 'sort']);
    lock(Reflect);
    lock(Number, ['isNaN', 'isInteger', 'isFinite']);
    lock(globalThis, ['Object', 'Array', 'Function', 'Reflect', 'Number', 'String', 'Boolean',
      'Symbol', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Error', 'TypeError', 'RangeError',
      'Proxy', 'JSON', 'Math', 'BigInt', 'globalThis']);
    lock(globalThis, [MATCHERS, VITEST_MATCHERS, GLOBAL_EXPECT, ASYMMETRIC]);
    if (!globalThis[GUARDED]) lockMatchers(); // the built-in matchers, once per realm
  } else {
    // The runner's globals, as the workspace's setup files left them. Matchers those files add
    // stay changeable: a realm that runs another test file (vitest's isolate: false) adds them
    // again.
    lock(globalThis, ['expect', 'test', 'it', 'describe', 'suite', 'beforeAll', 'afterAll',
      'beforeEach', 'afterEach', 'fit', 'xit', 'xtest', 'fdescribe', 'xdescribe', 'vi']);
    if (!globalThis[GUARDED]) define(globalThis, GUARDED, { value: true });
  }
}
