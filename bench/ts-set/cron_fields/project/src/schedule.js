/** A five-field cron schedule (minute hour day-of-month month day-of-week), in UTC. */
import { expandField } from "./field.js";

export function parseCron(expression) {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new SyntaxError("a cron expression has five fields");
  const [minute, hour, day, month, weekday] = fields;
  return {
    minute: expandField(minute, 0, 59),
    hour: expandField(hour, 0, 23),
    day: expandField(day, 1, 31),
    month: expandField(month, 1, 12),
    weekday: expandField(weekday, 0, 6),
  };
}

/** The first minute strictly after `after` (a Date) that the schedule matches. */
export function nextRun(expression, after) {
  const s = parseCron(expression);
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  for (let i = 0; i < 366 * 24 * 60; i++) {
    t.setUTCMinutes(t.getUTCMinutes() + 1);
    if (s.minute.includes(t.getUTCMinutes()) && s.hour.includes(t.getUTCHours())
      && s.day.includes(t.getUTCDate()) && s.month.includes(t.getUTCMonth() + 1)
      && s.weekday.includes(t.getUTCDay())) return t;
  }
  return null;
}
