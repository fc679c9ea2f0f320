'use strict';
/** "HH:MM" clock times as minutes since midnight, and back. */

function toMinutes(text) {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new SyntaxError(`not a time: ${text}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function toClock(minutes) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

module.exports = { toMinutes, toClock };
