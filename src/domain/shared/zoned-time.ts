/** Instants in a city's time zone: offsets, local midnights, w3 datetimes with the local offset. */

/** `2026-03-02T15:04:05+07:00`: the instant in the city's offset (whole seconds). */
export function formatW3cDatetime(d: Date, timeZone: string): string {
  const off = zoneOffsetMinutes(d, timeZone);
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Minutes east of UTC of `timeZone` at the instant `d`. */
export function zoneOffsetMinutes(d: Date, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** The instant of local midnight starting `isoDate` (YYYY-MM-DD) in `timeZone`. */
export function zonedMidnight(isoDate: string, timeZone: string): Date | null {
  const guess = Date.parse(`${isoDate}T00:00:00Z`);
  if (!Number.isFinite(guess) || new Date(guess).toISOString().slice(0, 10) !== isoDate) return null;
  let t = guess - zoneOffsetMinutes(new Date(guess), timeZone) * 60_000;
  t = guess - zoneOffsetMinutes(new Date(t), timeZone) * 60_000;
  return new Date(t);
}
