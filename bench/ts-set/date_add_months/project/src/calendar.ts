/** Plain calendar dates (no time zone): year, month 1-12, day. */

export interface PlainDate {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month < 1 || month > 12) throw new RangeError(`month ${month} is not 1-12`);
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Adds months; a day past the end of the target month is clamped (Jan 31 + 1 month = Feb 28). */
export function addMonths(date: PlainDate, months: number): PlainDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

export function parseDate(text: string): PlainDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new SyntaxError(`not a YYYY-MM-DD date: ${text}`);
  const [year, month, day] = match.slice(1).map(Number);
  if (day < 1 || day > daysInMonth(year, month)) throw new RangeError(`no such day: ${text}`);
  return { year, month, day };
}

export function formatDate({ year, month, day }: PlainDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}
