'use strict';
/** Free slots of at least `length` minutes inside working hours, given everyone's busy
 * intervals ([start, end) as "HH:MM"). */
const { toClock, toMinutes } = require('./time');

function freeSlots(busyByPerson, { from = '09:00', to = '17:00', length = 30 } = {}) {
  const start = toMinutes(from);
  const end = toMinutes(to);
  const busy = Object.values(busyByPerson)
    .flat()
    .map(([a, b]) => [toMinutes(a), toMinutes(b)])
    .sort((x, y) => x[0] - y[0]);
  const slots = [];
  let cursor = start;
  for (const [a, b] of busy) {
    if (a - cursor >= length && a <= end) slots.push([cursor, a]);
    cursor = Math.max(cursor, b);
  }
  if (end - cursor >= length) slots.push([cursor, end]);
  return slots.map(([a, b]) => [toClock(a), toClock(b)]);
}

/** The first slot that fits, cut to exactly `length` minutes, or null. */
function firstSlot(busyByPerson, options = {}) {
  const length = options.length ?? 30;
  const [slot] = freeSlots(busyByPerson, { ...options, length });
  if (!slot) return null;
  return [slot[0], toClock(toMinutes(slot[0]) + length)];
}

module.exports = { freeSlots, firstSlot };
