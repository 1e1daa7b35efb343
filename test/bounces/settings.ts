import type { BounceSettings } from '../../src/bounces/index.ts';

/** The send secret of the bounce tests (free of vitest, so kill-run.ts can import it). */
export const SECRET = 'bounce-test-secret-0123456789-abcdefghij';
export const DOMAIN = 'bounces.natverket.example.org';
export const SETTINGS: BounceSettings = { secret: SECRET, domain: DOMAIN, softLimit: 3, softWindowDays: 30 };
