import { describe, expect, it } from 'vitest';
import { startResendStub } from '../support/resend-stub.ts';
import { maxInAnyWindow } from './transports/fixtures.ts';
import { afterThisTest, ledger, seedSubscribers, send, tempProject, SECRET } from './helpers.ts';

describe('the pace of a send', () => {
  it("never exceeds the provider's limit in any 1 s window, with several chunks in flight", async () => {
    const stub = await startResendStub({ rateLimit: 4 });
    afterThisTest(() => stub.close());
    const project = tempProject(['transport:', '  default: resend', '  resend:', `    baseUrl: ${stub.url}`]);
    seedSubscribers(project, 1200);
    const run = await send(project, { env: { RESEND_API_KEY: 're_test_stub', NYHETSBREV_SECRET: SECRET } });
    expect(run.error).toBeUndefined();
    expect(ledger(project)).toEqual({ sent: 1200 });
    const requests = stub.requests();
    expect(requests.filter((r) => r.status === 429)).toEqual([]);
    expect(requests).toHaveLength(12);
    expect(
      maxInAnyWindow(
        requests.map((r) => r.at),
        1000,
      ),
    ).toBeLessThanOrEqual(4);
  });
});
