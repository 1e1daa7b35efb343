import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.ts';
import { formatIn, parseSendTime } from '../../src/schedule/when.ts';

const NOW = new Date('2026-01-15T12:00:00Z');

function at(text: string): string {
  return parseSendTime(text, NOW).at.toISOString();
}

function refusal(text: string, now = NOW): { name: string; message: string; hint: string | undefined } {
  try {
    parseSendTime(text, now);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return { name: error.name, message: error.message, hint: error.hint };
  }
  throw new Error(`${text} was accepted`);
}

describe('reading --at', () => {
  it('reads a time without a zone as Stockholm time: UTC+1 in winter, UTC+2 in summer', () => {
    expect(at('2026-12-10 08:00')).toBe('2026-12-10T07:00:00.000Z');
    expect(at('2026-06-10 08:00')).toBe('2026-06-10T06:00:00.000Z');
    expect(at('2026-12-10T08:00')).toBe('2026-12-10T07:00:00.000Z');
  });

  it('takes the hours around the spring change on the right side of it', () => {
    // Clocks go from 02:00 to 03:00 on 2026-03-29 (01:00 UTC).
    expect(at('2026-03-29 01:59')).toBe('2026-03-29T00:59:00.000Z');
    expect(at('2026-03-29 03:00')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('refuses a local time that does not exist because the clocks skip it', () => {
    for (const text of ['2026-03-29 02:00', '2026-03-29 02:30', '2026-03-29 02:59']) {
      const error = refusal(text);
      expect(error.name).toBe('ScheduleInvalid');
      expect(error.message).toBe(
        `${text} does not exist in Europe/Stockholm: the clocks go forward over that hour that night.`,
      );
      expect(error.hint).toContain('+01:00');
    }
  });

  it('takes the hour that occurs twice in autumn at its first occurrence (summer time) and says so', () => {
    // Clocks go back from 03:00 to 02:00 on 2026-10-25 (01:00 UTC).
    const time = parseSendTime('2026-10-25 02:30', NOW);
    expect(time.at.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(time.later?.toISOString()).toBe('2026-10-25T01:30:00.000Z');
    expect(parseSendTime('2026-10-25 03:00', NOW).later).toBeUndefined();
    // The second occurrence is reachable with an explicit offset.
    expect(at('2026-10-25T02:30+01:00')).toBe('2026-10-25T01:30:00.000Z');
  });

  it('accepts an explicit offset, Z, or a zone name', () => {
    expect(at('2026-12-10T07:00Z')).toBe('2026-12-10T07:00:00.000Z');
    expect(at('2026-12-10 07:00Z')).toBe('2026-12-10T07:00:00.000Z');
    expect(at('2026-12-10T08:00+01:00')).toBe('2026-12-10T07:00:00.000Z');
    expect(at('2026-12-10T03:30-0330')).toBe('2026-12-10T07:00:00.000Z');
    expect(at('2026-12-10 08:00 Europe/Helsinki')).toBe('2026-12-10T06:00:00.000Z');
    expect(parseSendTime('2026-12-10 08:00 Europe/Helsinki', NOW).zone).toBe('Europe/Helsinki');
    expect(at('2026-12-10 08:00 UTC')).toBe('2026-12-10T08:00:00.000Z');
  });

  it('refuses what is not a time, with the formats in the hint', () => {
    for (const text of [
      'tomorrow',
      '2026-12-10',
      '10/12/2026 08:00',
      '2026-02-30 08:00',
      '2026-12-10 24:00',
      '2026-12-10 08:60',
      '2026-12-10T08:00+15:00',
      '2026-12-10 08:00 Mars/Olympus',
    ]) {
      const error = refusal(text);
      expect(error.name, text).toBe('ScheduleInvalid');
      expect(error.hint, text).toMatch(/2026-12-10 08:00|IANA/);
    }
  });

  it('refuses a time that is not in the future', () => {
    const error = refusal('2026-01-15 13:00'); // 12:00 UTC, the very moment of NOW
    expect(error.message).toBe(
      '2026-01-15 13:00 Europe/Stockholm (12:00 UTC) is not in the future: it is now 2026-01-15 13:00 Europe/Stockholm (12:00 UTC).',
    );
    expect(error.hint).toBe('Give a later time, or leave out --at to send now.');
    expect(at('2026-01-15 13:01')).toBe('2026-01-15T12:01:00.000Z');
  });

  it('shows an instant on the wall clock of its zone, with UTC beside it', () => {
    expect(formatIn('2026-12-10T07:00:00.000Z')).toBe('2026-12-10 08:00 Europe/Stockholm (07:00 UTC)');
    expect(formatIn('2026-06-30T23:30:00.000Z')).toBe(
      '2026-07-01 01:30 Europe/Stockholm (2026-06-30 23:30 UTC)',
    );
  });
});
