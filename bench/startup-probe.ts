// Loads what `nyhetsbrev build` loads before it builds, then exits: for the start-up figure.
await import('../src/config/load.ts');
await import('../src/build/index.ts');
