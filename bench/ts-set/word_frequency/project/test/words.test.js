const { counts, topWords, words } = require('../lib/words');

describe('words', () => {
  test('splits on anything that is not a letter or digit', () => {
    expect(words('Hello, world! 2 times.')).toEqual(['hello', 'world', '2', 'times']);
  });
  test("keeps inner apostrophes", () => {
    expect(words("don't stop 'til")).toEqual(["don't", 'stop', 'til']);
  });
  test('reads letters beyond ASCII', () => {
    expect(words('Café naïve Ελλάδα')).toEqual(['café', 'naïve', 'ελλάδα']);
  });
});

describe('counts', () => {
  test('skips stop words', () => {
    expect([...counts('The cat and the hat')]).toEqual([['cat', 1], ['hat', 1]]);
  });
  test('skips short words when asked', () => {
    expect([...counts('go to the big fair', { minLength: 3 })].map(([w]) => w)).toEqual(['big', 'fair']);
  });
});

describe('topWords', () => {
  const text = 'red blue red green blue red yellow green blue';
  test('orders by count', () => {
    expect(topWords(text, 2)).toEqual([{ word: 'blue', count: 3 }, { word: 'red', count: 3 }]);
  });
  test('breaks ties alphabetically', () => {
    expect(topWords('y x z y x z', 3).map((w) => w.word)).toEqual(['x', 'y', 'z']);
  });
  test('returns fewer when there are fewer words', () => {
    expect(topWords('solo', 5)).toEqual([{ word: 'solo', count: 1 }]);
  });
});
