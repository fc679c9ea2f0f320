'use strict';
/** Business days (Monday to Friday, less holidays) on UTC calendar days, "YYYY-MM-DD". */

const DAY = 86400000;

function toDay(text) {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new SyntaxError(`not a date: ${text}`);
  return ms / DAY;
}

function fromDay(day) {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function isBusinessDay(day, holidays) {
  const weekday = new Date(day * DAY).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(fromDay(day));
}

/** Business days after `start` up to and including `end` (0 when end <= start). */
function businessDaysBetween(start, end, holidays = []) {
  const skip = new Set(holidays);
  let count = 0;
  for (let day = toDay(start) + 1; day <= toDay(end); day++) {
    if (isBusinessDay(day, skip)) count++;
  }
  return count;
}

/** The date `n` business days after `start` (n >= 0). */
function addBusinessDays(start, n, holidays = []) {
  const skip = new Set(holidays);
  let day = toDay(start);
  let left = n;
  while (left > 0) {
    day++;
    if (isBusinessDay(day, skip)) left--;
  }
  return fromDay(day);
}

module.exports = { businessDaysBetween, addBusinessDays, isBusinessDay, toDay };
