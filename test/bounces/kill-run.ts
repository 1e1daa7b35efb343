/**
 * Driver of the SIGKILL test: `nyhetsbrev bounces` over a Maildir in its own process, killed with
 * SIGKILL right after the n-th report's transaction committed and before that message was marked
 * read — the one moment a crash could count a report twice. Args: database, Maildir, n (0: no kill).
 */
import { openStore } from '../../src/audience/index.ts';
import { processBounces } from '../../src/bounces/index.ts';
import { SETTINGS } from './settings.ts';

const [database, dir, killAfter] = process.argv.slice(2) as [string, string, string];
const store = openStore(database, { now: () => new Date('2026-11-20T09:00:00Z'), env: {} });
let committed = 0;
await processBounces(store, SETTINGS, dir, {
  afterCommit: () => {
    if (++committed === Number(killAfter)) process.kill(process.pid, 'SIGKILL');
  },
});
store.close();
