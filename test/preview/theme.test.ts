import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { PreviewServer } from '../../src/preview/index.ts';
import { tempDir } from '../support/spine.ts';
import { startFixturePreview } from './helpers.ts';

const SAMPLE = resolve('themes/exempel-myndighet');
const CONFIG = `organisation: Nätverket
newsletter: Nyhetsbrev
baseUrl: https://natverket.example.org/nyhetsbrev/
sender:
  from: n@natverket.example.org
footer: Du får det här brevet.
theme: tema
`;

let running: PreviewServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const text = async (preview: PreviewServer, path: string) => (await fetch(new URL(path, preview.url))).text();

describe('preview and the theme folder', () => {
  it('re-reads theme.yml and the partials when they change, and rebuilds the open issue', async () => {
    const configDir = tempDir();
    const configFile = join(configDir, 'nyhetsbrev.yml');
    const theme = join(configDir, 'tema');
    cpSync(SAMPLE, theme, { recursive: true });
    writeFileSync(configFile, CONFIG);
    const reload = () => loadConfig(configFile, { explicit: true });
    const { preview } = await startFixturePreview('clean', { config: reload(), reloadConfig: reload });
    running = preview;
    const email = '/issues/2024-03/email.html';
    await expect.poll(() => text(preview, email), { timeout: 60_000 }).toContain('alt="Exempelmyndigheten"');

    const yml = join(theme, 'theme.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('alt: Exempelmyndigheten', 'alt: Temaverket'));
    await expect.poll(() => text(preview, email), { timeout: 30_000 }).toContain('alt="Temaverket"');
    await expect
      .poll(() => text(preview, '/site/assets/style.css'), { timeout: 30_000 })
      .toContain('#00594f');
    writeFileSync(yml, readFileSync(yml, 'utf8').replaceAll('#00594f', '#00594e'));
    await expect
      .poll(() => text(preview, '/site/assets/style.css'), { timeout: 30_000 })
      .toContain('#00594e');

    appendFileSync(join(theme, 'web', 'footer.hbs'), '<p>Temats sidfot ändrad</p>\n');
    await expect
      .poll(() => text(preview, '/site/2024-03/'), { timeout: 30_000 })
      .toContain('Temats sidfot ändrad');
  });
});
