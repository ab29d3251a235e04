// Weeks run Monday to Sunday in the organisation's time zone. A week is named by its
// Monday as a calendar date (YYYY-MM-DD); SQL turns that date into instants in the same
// zone, so daylight-saving weeks of 167 or 169 hours are counted correctly.

export type WeekStart = string;

const DAY_MS = 86_400_000;

/** The calendar date (YYYY-MM-DD) of `instant` in `timeZone`: "today" for forms and due dates. */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}

export function addDays(date: WeekStart, days: number): WeekStart {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Monday of the week that contains `instant`, in `timeZone`. */
export function weekContaining(instant: Date, timeZone: string): WeekStart {
  const today = localDate(instant, timeZone);
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(today, -((weekday + 6) % 7));
}

/** The last complete Monday-to-Sunday week before `instant`: what a Monday digest reports. */
export function weekJustEnded(instant: Date, timeZone: string): WeekStart {
  return addDays(weekContaining(instant, timeZone), -7);
}

export function isWeekStart(value: string): value is WeekStart {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  // Date rolls 2026-02-30 over to 2 March, a Monday: only a date that survives the round trip is real.
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value && day.getUTCDay() === 1;
}

/** "17–23 Nov 2026", for people. */
export function describeWeek(weekStart: WeekStart, locale: string): string {
  const first = new Date(`${weekStart}T12:00:00Z`);
  const last = new Date(`${addDays(weekStart, 6)}T12:00:00Z`);
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).formatRange(first, last);
}
