import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';

/** The zone of a time given without one: the network's own. */
export const DEFAULT_ZONE = 'Europe/Stockholm';

/** A send time, resolved. */
export interface SendTime {
  /** The instant, UTC. */
  at: Date;
  /** The IANA zone to show it in: the one it was given in, else {@link DEFAULT_ZONE}. */
  zone: string;
  /**
   * Set when the local time occurs twice (the autumn hour when clocks go back): `at` is the first
   * occurrence (summer time), `later` the second.
   */
  later?: Date;
}

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\s*(Z|[+-]\d{2}:?\d{2})|\s+([A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*))?$/i;

/**
 * Reads `--at`: `YYYY-MM-DD HH:MM` in {@link DEFAULT_ZONE} (daylight saving time handled), or
 * with an explicit zone: `Z`, `±hh:mm`, or an IANA name after a space. A local time that does
 * not exist (the spring hour when clocks go forward) is refused; one that occurs twice is taken
 * at its first occurrence, summer time. Throws `ScheduleInvalid` for anything else and for a
 * time not after `now`.
 */
export function parseSendTime(text: string, now: Date): SendTime {
  const match = PATTERN.exec(text.trim());
  if (!match) throw new UserError(E.AtNotATime, { text });
  const [, y, mo, d, h, mi, s, offset, named] = match;
  const fields = [y, mo, d, h, mi, s ?? '0'].map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
  const back = new Date(wall);
  if (
    back.getUTCMonth() !== fields[1] - 1 ||
    back.getUTCDate() !== fields[2] ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59
  )
    throw new UserError(E.AtNoSuchDay, { text });
  let time: SendTime;
  if (offset !== undefined) {
    time = { at: new Date(wall - offsetMinutes(offset) * 60_000), zone: DEFAULT_ZONE };
  } else {
    const zone = named ? requireZone(named) : DEFAULT_ZONE;
    const instants = localInstants(wall, zone);
    if (instants.length === 0) {
      throw new UserError(E.AtSkippedHour, { text: text.trim(), zone });
    }
    time = { at: new Date(instants[0]!), zone };
    if (instants[1] !== undefined) time.later = new Date(instants[1]);
  }
  if (time.at.getTime() <= now.getTime()) {
    throw new UserError(E.AtInPast, { at: formatIn(time.at, time.zone), now: formatIn(now, time.zone) });
  }
  return time;
}

/** `2026-12-10 08:00 Europe/Stockholm (07:00 UTC)`: a UTC instant as the wall clock of `zone` shows it. */
export function formatIn(at: Date | string, zone: string = DEFAULT_ZONE): string {
  const instant = typeof at === 'string' ? new Date(at) : at;
  const local = new Date(instant.getTime() + zoneOffset(zone, instant.getTime()) * 60_000);
  const iso = local.toISOString();
  const utc = instant.toISOString();
  const utcPart =
    utc.slice(0, 10) === iso.slice(0, 10) ? utc.slice(11, 16) : `${utc.slice(0, 10)} ${utc.slice(11, 16)}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} ${zone} (${utcPart} UTC)`;
}

/** Minutes `zone` is ahead of UTC at the instant (120 for Stockholm in summer). */
export function zoneOffset(zone: string, instant: number): number {
  const parts = formatter(zone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/**
 * The instants whose wall clock in `zone` reads `wall` (a local time written as if UTC): none in
 * a spring gap, two in an autumn overlap, else one. Every offset the zone uses within a day and a
 * half either side is tried, and kept when the zone really has that offset then.
 */
function localInstants(wall: number, zone: string): number[] {
  const day = 36 * 3600_000;
  const offsets = new Set([wall - day, wall, wall + day].map((t) => zoneOffset(zone, t)));
  const found = [...offsets]
    .map((offset) => wall - offset * 60_000)
    .filter((instant) => wall - zoneOffset(zone, instant) * 60_000 === instant);
  return [...new Set(found)].sort((a, b) => a - b);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

function requireZone(name: string): string {
  if (/^utc$/i.test(name)) return 'UTC';
  try {
    return formatter(name).resolvedOptions().timeZone;
  } catch {
    throw new UserError(E.ZoneUnknown, { name });
  }
}

function offsetMinutes(text: string): number {
  if (/^z$/i.test(text)) return 0;
  const digits = text.replace(':', '');
  const [hours, minutes] = [Number(digits.slice(1, 3)), Number(digits.slice(3, 5))];
  if (hours > 14 || minutes > 59) throw new UserError(E.OffsetInvalid, { text });
  return (digits.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}
