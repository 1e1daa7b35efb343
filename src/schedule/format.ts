import { LOCK_STALE_MS } from '../send/lock.ts';
import type { Schedule } from './store.ts';
import { formatIn } from './when.ts';

/**
 * `send --scheduled`: one line per schedule (issue, status, due time in its zone and UTC, lists,
 * transport), the latest outcome under it, and a warning on a waiting one that nothing started.
 */
export function formatSchedules(schedules: readonly Schedule[], now: Date): string {
  if (schedules.length === 0) {
    return 'No scheduled sends. Schedule one with `nyhetsbrev send <id> --at "YYYY-MM-DD HH:MM"` (Europe/Stockholm time).';
  }
  const width = Math.max(...schedules.map((s) => s.issueId.length));
  const lines: string[] = [];
  for (const s of schedules) {
    const lists = s.lists ? s.lists.join(', ') : 'all';
    lines.push(
      `${s.issueId.padEnd(width)}  ${s.status.padEnd(9)}  ${formatIn(s.dueAt, s.zone)}  lists: ${lists}, transport: ${s.transport ?? 'default'}`,
    );
    if (s.outcome) lines.push(`${' '.repeat(width + 2)}${s.outcome}`);
    if (s.status === 'scheduled' && now.getTime() - Date.parse(s.dueAt) > LOCK_STALE_MS) {
      lines.push(
        `${' '.repeat(width + 2)}overdue: nothing has started it. Run \`nyhetsbrev send --due\`, and check that \`serve\` or the nyhetsbrev-send-due timer runs.`,
      );
    }
  }
  const waiting = schedules.filter((s) => s.status === 'scheduled').length;
  lines.push(
    `${schedules.length} schedule(s), ${waiting} waiting. Times are shown in the zone they were given in.`,
  );
  return lines.join('\n');
}
