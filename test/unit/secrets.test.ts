import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.ts';
import { deploymentSecret, SECRET_ENV, transportSecret } from '../../src/secrets/index.ts';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

describe('the secrets of the environment (src/secrets/)', () => {
  it('gives NYHETSBREV_SECRET when it is set, and nothing when it is unset or empty', () => {
    expect(deploymentSecret({ [SECRET_ENV]: 'x'.repeat(40) })).toBe('x'.repeat(40));
    expect(deploymentSecret({ [SECRET_ENV]: '' })).toBeUndefined();
    expect(deploymentSecret({})).toBeUndefined();
  });

  it('gives a transport’s secret from the variable the config names, and refuses it unset or empty with SecretMissing', () => {
    expect(transportSecret({ NB_KEY: 're_123' }, 'NB_KEY', 'the Resend API key')).toBe('re_123');
    for (const env of [{}, { NB_KEY: '' }]) {
      const error = (() => {
        try {
          return transportSecret(env, 'NB_KEY', 'the Resend API key');
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(isUserError(error) && [error.name, error.message, error.hint]).toEqual([
        'SecretMissing',
        'The environment variable NB_KEY with the Resend API key is not set.',
        'Set NB_KEY in the environment (never in nyhetsbrev.yml), or send with --transport outbox.',
      ]);
    }
  });

  it('is the one place that reads a secret: src/ outside it looks up no variable of the environment by a computed name but a test hook', () => {
    const lookups = readdirSync(SRC, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((file) => !relative(SRC, file).startsWith('secrets'))
      .flatMap((file) =>
        [
          ...readFileSync(file, 'utf8').matchAll(
            /\benv\??\.?\[\s*([^\]]+)\]|\benv\.(\w*(?:SECRET|KEY|PASSWORD|USER)\w*)/gi,
          ),
        ].map((match) => `${relative(SRC, file)}: ${match[1] ?? match[2]}`),
      );
    expect(lookups).toEqual(['audience/import.ts: TEST_PAUSE_ENV']);
  });
});
