import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfig } from './helpers.ts';

describe('subscribers forget and the outbox folder', () => {
  it('deletes the files an older release named by the address, and no one else’s', () => {
    const { config, dir } = tempConfig();
    const outbox = join(dir, 'outbox');
    mkdirSync(outbox);
    for (const name of [
      'nyhetsbrev%2Fc1-0a1b2c3d%2F1=Anna.Lindqvist@example.org.eml',
      'nyhetsbrev%2Fc2-1b2c3d4e%2F1=anna.lindqvist@example.org.eml',
      'nyhetsbrev%2Fc2-1b2c3d4e%2F1=erik@example.org.eml',
      'c3-2c3d4e5f.9f86d081884c7d659a2feaa0c55ad015.eml',
    ])
      writeFileSync(join(outbox, name), 'To: …\r\n\r\n');
    runCli(config, ['subscribers', 'add', 'anna.lindqvist@example.org']);
    const forget = runCli(config, ['subscribers', 'forget', 'anna.lindqvist@example.org']);
    expect(forget).toMatchObject({ code: 0, stderr: '' });
    expect(forget.stdout).toContain(`Deleted 2 file(s) named by the address from ${outbox}.`);
    expect(readdirSync(outbox).sort()).toEqual([
      'c3-2c3d4e5f.9f86d081884c7d659a2feaa0c55ad015.eml',
      'nyhetsbrev%2Fc2-1b2c3d4e%2F1=erik@example.org.eml',
    ]);
  });
});
