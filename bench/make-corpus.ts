import { writeCorpus } from './corpus.ts';

// `node bin/run-ts.js bench/make-corpus.ts DIR COUNT`: writes a synthetic archive (see corpus.ts).
const [dir, count = '500'] = process.argv.slice(2);
if (!dir) throw new Error('usage: bench/make-corpus.ts DIR [COUNT]');
writeCorpus(dir, Number(count));
