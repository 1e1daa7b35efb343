import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/audience/index.ts';
import { hourlyUpkeep } from '../../src/serve/upkeep.ts';
import { SECRET, startTestServer } from '../serve/helpers.ts';
import { type Campaign, DOMAIN, fixture, maildir, PEOPLE, seed, stateOf } from './helpers.ts';

describe('serve reads the bounce mailbox', () => {
  it('applies the reports of bounces.mailbox in its hourly upkeep, with serve’s secret', async () => {
    let campaign: Campaign | undefined;
    const server = await startTestServer({
      seed: (database) => {
        const store = openStore(database, { env: { NYHETSBREV_SECRET: SECRET } });
        [campaign] = seed(store);
        store.close();
      },
    });
    try {
      // serve signs and reads VERP tokens with its NYHETSBREV_SECRET, the send secret.
      const reports = [
        fixture('postfix-hard.eml', campaign!, 0, {}, SECRET),
        fixture('arf-gmail-style.eml', campaign!, 3, {}, SECRET),
      ];
      const dir = maildir(join(server.dir, 'bounces'), reports);
      server.deps.config = {
        ...server.deps.config,
        bounces: { ...server.deps.config.bounces, domain: DOMAIN, mailbox: 'bounces' },
      };
      await hourlyUpkeep(server.deps);
      expect(stateOf(server.deps.store, PEOPLE[0]!)).toEqual({ status: 'bounced', suppressed: 'bounced' });
      expect(stateOf(server.deps.store, PEOPLE[3]!)).toEqual({
        status: 'complained',
        suppressed: 'complained',
      });
      expect(readdirSync(join(dir, 'new'))).toEqual([]);
      expect(server.logs).toContain(
        'bounces: Read 2 report(s): 1 hard bounce(s), suppressed; 1 complaint(s), suppressed.',
      );
    } finally {
      await server.stop();
    }
  });
});
