/** ISO 8601 weeks: weeks start on Monday, and week 1 holds the year's first Thursday.
 * Dates are UTC days (Date objects at midnight UTC). */

const DAY = 86_400_000;

export function utcDate(year, month, day) {
  return new Date(Date.UTC(year, month - 1, day));
}

/** 1 for Monday ... 7 for Sunday. */
export function isoWeekday(date) {
  const day = date.getUTCDay();
  return day === 0 ? 7 : day;
}

export function isoWeek(date) {
  // The Thursday of this date's week decides the week-based year.
  const thursday = new Date(date.getTime() + (4 - isoWeekday(date)) * DAY);
  const year = thursday.getUTCFullYear();
  const firstDay = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - firstDay) / DAY / 7) + 1;
  return { year, week };
}

export function formatIsoWeek(date) {
  const { year, week } = isoWeek(date);
  return `${year}-W${String(week).padStart(2, "0")}-${isoWeekday(date)}`;
}

/** The Monday starting week `week` of ISO year `year`. */
export function mondayOfWeek(year, week) {
  const jan4 = utcDate(year, 1, 4);
  const firstMonday = jan4.getTime() - (isoWeekday(jan4) - 1) * DAY;
  return new Date(firstMonday + (week - 1) * 7 * DAY);
}
