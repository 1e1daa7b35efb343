import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_FIXTURES } from '../check/helpers.ts';

describe('nyhetsbrev preview', () => {
  it('prints its loopback URL on start, serves the issues, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['bin/nyhetsbrev.js', 'preview', '--port', '0', '--issues', join(CHECK_FIXTURES, 'draft')],
      {
        env: { ...process.env, CI: 'true' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /Preview at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`preview exited with ${code}: ${stderr}`)));
    });
    const page = await fetch(new URL('/issues/2024-03/', url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Utkast');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });
});
