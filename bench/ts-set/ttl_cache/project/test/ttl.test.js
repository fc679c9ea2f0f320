const { TtlCache } = require('../lib/ttl');

function setup(options = {}) {
  let now = 1000;
  const cache = new TtlCache({ ttlMs: 100, clock: () => now, ...options });
  return { cache, advance: (ms) => { now += ms; } };
}

describe('TtlCache', () => {
  test('returns a fresh entry', () => {
    const { cache, advance } = setup();
    cache.set('a', 1);
    advance(99);
    expect(cache.get('a')).toBe(1);
  });
  test('an entry is gone exactly at its expiry', () => {
    const { cache, advance } = setup();
    cache.set('a', 1);
    advance(100);
    expect(cache.get('a')).toBeUndefined();
  });
  test('a per-entry ttl wins', () => {
    const { cache, advance } = setup();
    cache.set('a', 1, 500);
    advance(300);
    expect(cache.has('a')).toBe(true);
  });
  test('prune removes the expired only', () => {
    const { cache, advance } = setup();
    cache.set('old', 1);
    advance(50);
    cache.set('new', 2);
    advance(50);
    expect(cache.prune()).toBe(1);
    expect([...cache.entries.keys()]).toEqual(['new']);
  });
  test('drops the oldest beyond maxEntries', () => {
    const { cache } = setup({ maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([false, true, true]);
  });
  test('loads a missing value once', async () => {
    const { cache } = setup();
    let loads = 0;
    const load = async (k) => { loads++; return k.toUpperCase(); };
    expect(await cache.getOrLoad('x', load)).toBe('X');
    expect(await cache.getOrLoad('x', load)).toBe('X');
    expect(loads).toBe(1);
  });
});
