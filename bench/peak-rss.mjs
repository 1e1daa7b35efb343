// A process's peak RSS as Linux keeps it for its address space (VmHWM), which starts afresh at
// exec. process.resourceUsage().maxRSS does not: it keeps the peak of the process that forked it,
// so a small child of a large benchmark runner reported the runner's size. Elsewhere: maxRSS.
import { readFileSync } from 'node:fs';

/**
 * This process's peak resident set size in kB, all its threads.
 * @returns {number}
 */
export function peakRssKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // No /proc: not Linux.
  }
  return process.resourceUsage().maxRSS;
}
