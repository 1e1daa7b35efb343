/** Where the time comes from: the system clock, or a fixed one in tests. */
export interface Clock {
  now(): Date;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

/** `YYYY-MM` of a year and a 1-based month. */
export function monthId(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The month after `YYYY-MM`, as `YYYY-MM`. */
export function nextMonth(id: string): string {
  const year = Number(id.slice(0, 4));
  const month = Number(id.slice(5, 7));
  return month === 12 ? monthId(year + 1, 1) : monthId(year, month + 1);
}

/** `YYYY-MM-DD` of a date in UTC. */
function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The usual publication day of an issue in month `YYYY-MM`: the month's last Thursday — the
 * network's rhythm in the archive — except in December, when it is the last Thursday on or before
 * the 20th, ahead of the holidays.
 */
export function publicationDate(id: string): string {
  const year = Number(id.slice(0, 4));
  const month = Number(id.slice(5, 7));
  const lastDay = month === 12 ? 20 : new Date(Date.UTC(year, month, 0)).getUTCDate();
  const date = new Date(Date.UTC(year, month - 1, lastDay));
  const THURSDAY = 4;
  date.setUTCDate(lastDay - ((date.getUTCDay() - THURSDAY + 7) % 7));
  return iso(date);
}

/** A date `days` after `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const value = new Date(`${date}T12:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return iso(value);
}
