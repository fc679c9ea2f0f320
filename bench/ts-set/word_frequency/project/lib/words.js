'use strict';
/** Word frequencies: words are runs of letters, digits and inner apostrophes, lower-cased. */

const STOP_WORDS = new Set(['a', 'an', 'and', 'the', 'of', 'to', 'in', 'is', 'it']);

function words(text) {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) || []);
}

function counts(text, { stopWords = STOP_WORDS, minLength = 1 } = {}) {
  const result = new Map();
  for (const word of words(text)) {
    if (stopWords.has(word) || word.length < minLength) continue;
    result.set(word, (result.get(word) || 0) + 1);
  }
  return result;
}

/** The k most frequent words; ties in alphabetical order. */
function topWords(text, k = 3, options) {
  return [...counts(text, options)]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, k)
    .map(([word, count]) => ({ word, count }));
}

module.exports = { words, counts, topWords, STOP_WORDS };
