import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.ts';
import { UserError } from '../../../src/errors.ts';
import { createTransport, TRANSPORT_CAPABILITIES } from '../../../src/send/transports/index.ts';
import { TRANSPORT_NAMES } from '../../../src/send/types.ts';
import { startResendStub } from '../../support/resend-stub.ts';
import { emails } from './fixtures.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'nyhetsbrev-transport-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A config file in `root` with the given `transport:` block (YAML, indented by two). */
function config(transport = '', name = 'outbox') {
  const yaml = [
    'organisation: Nätverket',
    'newsletter: Nyhetsbrevet',
    'baseUrl: https://example.org/nyhetsbrev/',
    'sender: { from: "Kansliet <nyhetsbrev@example.org>" }',
    'footer: Du får det här brevet som medlem i ett forum.',
    `transport:\n  default: ${name}\n${transport}`,
  ].join('\n');
  return parseConfig(yaml, join(root, 'nyhetsbrev.yml'));
}

function thrown(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('createTransport', () => {
  it('builds the outbox by default, writing under the config folder', async () => {
    const transport = createTransport(config('  outbox: { dir: sent }'));
    expect(transport.name).toBe('outbox');
    await transport.sendChunk(emails(2), { idempotencyKey: 'k' });
    expect(await readdir(join(root, 'sent'))).toHaveLength(2);
  });

  it('builds the resend transport with the key from the named variable and the configured base URL', async () => {
    const stub = await startResendStub({ apiKey: 're_from_env' });
    try {
      const transport = createTransport(config(`  resend: { apiKeyEnv: NB_KEY, baseUrl: "${stub.url}" }`), {
        name: 'resend',
        env: { NB_KEY: 're_from_env' },
      });
      const outcome = await transport.sendChunk(emails(2), { idempotencyKey: 'k' });
      expect(outcome.results.map((r) => r.status)).toEqual(['sent', 'sent']);
      expect(stub.emails()).toHaveLength(2);
    } finally {
      await stub.close();
    }
  });

  it('refuses with SecretMissing when the API key variable is unset', () => {
    const error = thrown(() => createTransport(config(), { name: 'resend', env: {} }));
    expect(error.name).toBe('SecretMissing');
    expect(error.message).toContain('RESEND_API_KEY');
    expect(error.hint).toContain('--transport outbox');
  });

  it('refuses with SecretMissing when the SMTP password variable is unset', () => {
    const smtp = '  smtp: { userEnv: SMTP_USER, passwordEnv: SMTP_PASSWORD }';
    const error = thrown(() =>
      createTransport(config(smtp), { name: 'smtp', env: { SMTP_USER: 'kansliet' } }),
    );
    expect(error.name).toBe('SecretMissing');
    expect(error.message).toContain('SMTP_PASSWORD');
  });

  it('accepts every transport it can build as transport.default, and refuses any other name', async () => {
    for (const name of TRANSPORT_NAMES) {
      const transport = createTransport(config('', name), { env: { RESEND_API_KEY: 're_x' } });
      expect([transport.name, transport.capabilities]).toEqual([name, TRANSPORT_CAPABILITIES[name]]);
      await transport.close();
    }
    const error = thrown(() => config('', 'sendgrid'));
    expect(error.name).toBe('ConfigInvalid');
    expect(error.message).toContain('transport.default');
  });

  it('says where the outbox writes (its folder), and names no folder for a provider or a relay', async () => {
    expect(createTransport(config('  outbox: { dir: sent }')).folder).toBe(join(root, 'sent'));
    for (const name of ['resend', 'smtp'] as const) {
      const transport = createTransport(config(), { name, env: { RESEND_API_KEY: 're_x' } });
      expect(transport.folder).toBeUndefined();
      await transport.close();
    }
  });

  it('refuses with TransportError when the DKIM key file cannot be read', () => {
    const smtp =
      '  smtp: { dkim: { domainName: example.org, keySelector: nb, privateKeyFile: dkim/missing.pem } }';
    const error = thrown(() => createTransport(config(smtp), { name: 'smtp' }));
    expect(error.name).toBe('TransportError');
    expect(error.message).toContain(join(root, 'dkim/missing.pem'));
  });
});
