// `node bin/run-ts.js bench/cli-from-source.ts ARGS…`: the CLI from src/ through tsx — what
// bin/nyhetsbrev.js falls back to when src/ changed since the last compile (for bench/startup.ts).
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv);
