/**
 * The error catalog: every message a `UserError` can carry, by key. Raise one with
 * `throw new UserError(E.<key>, args)`; README's troubleshooting table is made from the names
 * (`npm run readme`), and test/docs/readme.test.ts fails when an entry is never raised.
 *
 * To add an error: add an entry to the part of its area (or a new part, listed below), under a
 * name of `names.ts` — a new name only for a new kind of failure, with its README line there.
 */

import { AUDIENCE } from './audience.ts';
import { BACKUP } from './backup.ts';
import { CLI } from './cli.ts';
import { CONFIG } from './config.ts';
import { IMPORT } from './import.ts';
import { PIPELINE } from './pipeline.ts';
import { SCHEDULE } from './schedule.ts';
import { SEND } from './send.ts';
import { SERVE } from './serve.ts';
import { THEME } from './theme.ts';

/** The parts of the catalog, one per area. */
export const CATALOG_PARTS = [
  CONFIG,
  AUDIENCE,
  BACKUP,
  SERVE,
  IMPORT,
  CLI,
  PIPELINE,
  SCHEDULE,
  SEND,
  THEME,
] as const;

/** Every entry of the catalog, by key. */
export const E = {
  ...CONFIG,
  ...AUDIENCE,
  ...BACKUP,
  ...SERVE,
  ...IMPORT,
  ...CLI,
  ...PIPELINE,
  ...SCHEDULE,
  ...SEND,
  ...THEME,
};
