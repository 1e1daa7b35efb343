import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/audience/migrations.ts';
import { startTestServer, type TestServer } from './helpers.ts';

const CURRENT = MIGRATIONS.length;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function getHealth(url: string): Promise<{ status: number; cache: string | null; body: unknown }> {
  const response = await fetch(url);
  return {
    status: response.status,
    cache: response.headers.get('cache-control'),
    body: await response.json(),
  };
}

describe('GET /healthz', () => {
  it('answers 200 with the schema version and nothing else, at the root and under the endpoint path', async () => {
    server = await startTestServer();
    // A subscriber exists: the answer must still hold no personal data (and no counts).
    server.deps.store.insertSubscriber({
      email: 'anna@example.org',
      emailKey: 'anna@example.org',
      name: 'Anna',
      status: 'active',
      consentSource: 'test',
    });
    const expected = {
      status: 200,
      cache: 'no-store',
      body: { status: 'ok', database: 'ok', schema: { version: CURRENT, expected: CURRENT } },
    };
    expect(await getHealth(`${server.url}healthz`)).toEqual(expected);
    expect(await getHealth(`${server.endpoint}healthz`)).toEqual(expected);
    expect(server.logs).toContainEqual(expect.stringMatching(/^GET healthz 200 \d+ms$/));
  });

  it('answers 503 schema-ahead once a newer nyhetsbrev has migrated the database under it', async () => {
    server = await startTestServer();
    const other = new Database(server.config.database);
    other.pragma(`user_version = ${CURRENT + 1}`);
    other.close();
    expect(await getHealth(`${server.url}healthz`)).toEqual({
      status: 503,
      cache: 'no-store',
      body: {
        status: 'unavailable',
        database: 'schema-ahead',
        schema: { version: CURRENT + 1, expected: CURRENT },
      },
    });
  });

  it('answers 503 unreachable when the database cannot be read, and logs no path or message', async () => {
    server = await startTestServer();
    server.deps.store.db.close();
    expect(await getHealth(`${server.url}healthz`)).toEqual({
      status: 503,
      cache: 'no-store',
      body: { status: 'unavailable', database: 'unreachable', schema: { version: null, expected: CURRENT } },
    });
    expect(server.logs).toContain('healthz: database unreachable (TypeError)');
    expect(server.logs.join('\n')).not.toContain(server.dir);
  });
});
