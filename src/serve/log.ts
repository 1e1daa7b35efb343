/** How `serve` writes its log: `text` lines for a terminal or journald, `json` for a log collector. */
export type LogFormat = 'text' | 'json';

/** Every {@link LogFormat}, for `--log-format`. */
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

/** Options of {@link createLog}. */
export interface LogOptions {
  /** Where lines go; default stdout. */
  write?: (text: string) => void;
  now?: () => Date;
}

// pino's numeric levels, so pino-pretty and collectors that know pino read the lines as they are.
const INFO = 30;
const ERROR = 50;

/**
 * A log sink for `serve` (`ServeDeps.log`). `text`: `2026-11-03T08:15:00.000Z GET bekrafta 200 4ms`.
 * `json`: one object per line in pino's shape, `{"level":30,"time":1793002500000,"msg":"…"}`;
 * level 50 for lines that start with `error:` (a stack then stays inside one line's `msg`). It
 * adds nothing to what it is given, and serve never gives it personal data.
 */
export function createLog(format: LogFormat, options: LogOptions = {}): (line: string) => void {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const now = options.now ?? (() => new Date());
  if (format === 'text') return (line) => write(`${now().toISOString()} ${line}\n`);
  return (line) => {
    const level = line.startsWith('error:') ? ERROR : INFO;
    write(`${JSON.stringify({ level, time: now().getTime(), msg: line })}\n`);
  };
}
