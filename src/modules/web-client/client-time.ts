import { Problem } from '@/common/problem';

/**
 * Times as the web client reads and writes them: `YYYY-MM-DD HH:mm:ss` in one configured zone
 * (`webClient.timeZone`), no offset on the wire.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

function wallClock(instant: Date, zone: string): Record<string, string> {
  return Object.fromEntries(
    formatterFor(zone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
}

/** `2024-05-01 09:30:00` in `zone`; '' for no time (the client shows nothing). */
export function clientTime(value: string | Date | null | undefined, zone: string): string {
  if (!value) return '';
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return '';
  const p = wallClock(instant, zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** How far `zone` is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, zone: string): number {
  const p = wallClock(new Date(instant), zone);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

export const CLIENT_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The instant of a client time (`YYYY-MM-DD HH:mm`, seconds optional) in `zone`; null if none. */
export function parseClientTime(value: string, zone: string): Date | null {
  const match = CLIENT_TIME.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute, Number.isNaN(second) ? 0 : second);
  const check = new Date(wall);
  // 2024-02-30 is no date.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || (second || 0) > 59) return null;
  // The offset at the guessed instant, then once more at the corrected one (DST edges).
  const first = wall - offsetAt(wall, zone);
  return new Date(wall - offsetAt(first, zone));
}

/** A time the client sends ('' clears it), in `zone`, as an ISO instant; bad ones are 400. */
export function clientInstant(field: string, value: string, zone: string): string | null {
  if (value === '') return null;
  const parsed = parseClientTime(value, zone);
  if (!parsed) throw Problem.invalid([{ field, message: 'must be YYYY-MM-DD HH:mm[:ss]' }]);
  return parsed.toISOString();
}
