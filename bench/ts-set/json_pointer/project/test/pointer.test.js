const { formatPointer, get, parsePointer, set } = require('../lib/pointer');

const doc = { foo: ['bar', 'baz'], '': 0, 'a/b': 1, 'm~n': 8, nested: { list: [{ id: 7 }] } };

describe('parse and format', () => {
  test('the empty pointer is the whole document', () => {
    expect(parsePointer('')).toEqual([]);
    expect(get(doc, '')).toBe(doc);
  });
  test('unescapes ~1 and ~0', () => {
    expect(parsePointer('/a~1b/m~0n')).toEqual(['a/b', 'm~n']);
  });
  test('decodes ~01 as the text ~1', () => {
    expect(parsePointer('/~01')).toEqual(['~1']);
  });
  test('formats what it parses', () => {
    expect(formatPointer(['a/b', 'm~n', 0])).toBe('/a~1b/m~0n/0');
  });
  test('refuses a pointer without a slash and a bad escape', () => {
    expect(() => parsePointer('foo')).toThrow(SyntaxError);
    expect(() => parsePointer('/a~2')).toThrow(SyntaxError);
  });
});

describe('get and set', () => {
  test('reads the RFC examples', () => {
    expect([get(doc, '/foo/0'), get(doc, '/'), get(doc, '/a~1b'), get(doc, '/m~0n')]).toEqual(['bar', 0, 1, 8]);
  });
  test('reads deep paths and misses cleanly', () => {
    expect(get(doc, '/nested/list/0/id')).toBe(7);
    expect(get(doc, '/nested/list/01')).toBeUndefined();
    expect(get(doc, '/nope/deeper')).toBeUndefined();
  });
  test('appends with - and sets keys', () => {
    const data = { list: [1] };
    set(data, '/list/-', 2);
    set(data, '/name', 'x');
    expect(data).toEqual({ list: [1, 2], name: 'x' });
  });
  test('refuses an index past the end', () => {
    expect(() => set({ list: [] }, '/list/3', 1)).toThrow(RangeError);
  });
});
