const { getBoolean, getNumber, parseIni } = require('../lib/ini');

const TEXT = [
  'name = demo',
  '; a comment',
  '[server]',
  'host = example.org   ; trailing comment',
  'port=8080',
  '# port = 9090',
  '[paths]',
  'root = "/srv/my app"',
  'glob = "*.log ; keep"',
  '[flags]',
  'debug = yes',
  'cache = off',
].join('\n');

describe('parseIni', () => {
  const data = parseIni(TEXT);
  test('puts keys before any section in ""', () => {
    expect(data['']).toEqual({ name: 'demo' });
  });
  test('reads sections and trims values', () => {
    expect(data.server).toEqual({ host: 'example.org', port: '8080' });
  });
  test('keeps quoted values whole', () => {
    expect(data.paths).toEqual({ root: '/srv/my app', glob: '*.log ; keep' });
  });
  test('skips both kinds of comment line', () => {
    expect(Object.keys(data)).toEqual(['', 'server', 'paths', 'flags']);
  });
  test('refuses a line without =', () => {
    expect(() => parseIni('[a]\njust text')).toThrow('line 2: expected key = value');
  });
});

describe('typed getters', () => {
  const data = parseIni(TEXT);
  test('reads booleans in their usual spellings', () => {
    expect([getBoolean(data, 'flags', 'debug'), getBoolean(data, 'flags', 'cache')]).toEqual([true, false]);
    expect(getBoolean(data, 'flags', 'missing', true)).toBe(true);
  });
  test('reads numbers and refuses others', () => {
    expect(getNumber(data, 'server', 'port')).toBe(8080);
    expect(() => getNumber(data, 'server', 'host')).toThrow(TypeError);
  });
});
