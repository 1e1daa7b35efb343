import type { Config } from '../config/schema.ts';
import { runDueSends, type DueOptions, type DueRun } from './due.ts';

/** How often `serve` looks for due sends. */
export const DUE_CHECK_MS = 60_000;

/** The due-send check of a long-running process. */
export interface DueSends {
  /** Runs one check now (or joins the one running) and resolves with what it did. */
  tick(): Promise<DueRun[]>;
  /** Stops the timer, interrupts a running send cleanly (it waits for the next check) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Checks for due sends at start and then every `intervalMs` (default a minute) on `clock`, one
 * check at a time, in this process: what `serve` runs. A failing check is logged, never thrown.
 */
export function startDueSends(
  config: Config,
  options: Omit<DueOptions, 'signal'> & { intervalMs?: number },
): DueSends {
  const controller = new AbortController();
  let running: Promise<DueRun[]> | undefined;
  const tick = (): Promise<DueRun[]> => {
    if (controller.signal.aborted) return Promise.resolve([]);
    running ??= runDueSends(config, { ...options, signal: controller.signal })
      .catch((error: unknown) => {
        // By name and code only, as serve logs failures: a message could quote data.
        const code = (error as { code?: unknown } | null)?.code;
        const name = (error as Error | null)?.name ?? 'error';
        options.log(`due sends: the check failed: ${name}${typeof code === 'string' ? ` ${code}` : ''}`);
        return [];
      })
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? DUE_CHECK_MS);
  timer.unref();
  void tick();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      controller.abort(new Error('The process is shutting down'));
      await running;
    },
  };
}
