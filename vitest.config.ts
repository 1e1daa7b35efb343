import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that spawn bin/nyhetsbrev.js run the compiled CLI: compile it first if src/ changed.
    globalSetup: ['test/support/compile-cli.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: browser and crash tests are heavy; keep parallelism modest.
    maxWorkers: 2,
  },
});
