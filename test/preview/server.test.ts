import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { PreviewServer } from '../../src/preview/index.ts';
import { ISSUE_FIXTURES, tempDir } from '../support/spine.ts';
import { listen, startFixturePreview } from './helpers.ts';

let running: PreviewServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(...args: Parameters<typeof startFixturePreview>) {
  const started = await startFixturePreview(...args);
  running = started.preview;
  return started;
}

const get = async (preview: PreviewServer, path: string) => {
  const response = await fetch(new URL(path, preview.url));
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

/** Waits until every issue has been checked once (the start page shows counts, not "kontrolleras…"). */
async function warmed(preview: PreviewServer): Promise<string> {
  let page = '';
  await expect
    .poll(async () => (page = (await get(preview, '/')).text).includes('kontrolleras…'), { timeout: 60_000 })
    .toBe(false);
  return page;
}

describe('preview server', () => {
  it('listens on loopback and lists every issue, drafts included, with status and message counts', async () => {
    const { preview } = await start(join(ISSUE_FIXTURES, 'teasers'));
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await warmed(preview);
    const row = (id: string) => new RegExp(`<tr id="issue-${id}">[\\s\\S]*?</tr>`).exec(page)?.[0] ?? '';
    expect(page.match(/<tr id="issue-/g)).toHaveLength(6);
    expect(row('2024-06')).toContain('Utkast');
    expect(row('2024-06')).toContain('0 fel');
    expect(row('2024-06')).toContain('1 varning'); // the draft reminder
    expect(row('2024-05')).toContain('Klar');
    expect(page.indexOf('issue-2024-06')).toBeLessThan(page.indexOf('issue-2024-01')); // newest first
  });

  it("serves an issue's calendar where its page and email link to it, and 404 for an issue without dated items", async () => {
    const { preview } = await start(join(ISSUE_FIXTURES, 'kalendarium'));
    const email = await get(preview, '/issues/2026-11/email.html');
    const link = /href="(\/site\/2026-11\/kalendarium\.ics)"/.exec(email.text)?.[1];
    expect(link).toBe('/site/2026-11/kalendarium.ics');
    const calendar = await get(preview, link!);
    expect(calendar.status).toBe(200);
    expect(calendar.type).toBe('text/calendar; charset=utf-8');
    expect(calendar.text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(calendar.text.match(/BEGIN:VEVENT/g)!.length).toBeGreaterThan(0);
    expect((await get(preview, '/site/2099-01/kalendarium.ics')).status).toBe(404);
  });

  it('lists an issue whose issue.md cannot be read, and shows its page with the overlay', async () => {
    const { preview } = await start(join(ISSUE_FIXTURES, 'invalid-yaml'));
    const list = await warmed(preview);
    expect(list).toContain('kan inte läsas');
    expect(list).toContain('1 fel');
    const page = await get(preview, '/issues/2024-01/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="overlay"');
    expect(page.text).toContain('2024-01/issue.md:2:8');
    expect(page.text).not.toContain('id="email-desktop"');
  });

  it('serves the email with the issue’s images from the preview, the web page with its styles, and the text', async () => {
    const { preview } = await start('clean');
    const email = await get(preview, '/issues/2024-03/email.html');
    expect(email.type).toContain('text/html');
    const src = /<img[^>]+src="([^"]+)"/.exec(email.text)?.[1] ?? '';
    expect(src).toMatch(/^\/site\/2024-03\/images\/omslag\.[0-9a-f]+\.png$/);
    const image = await fetch(new URL(src, preview.url));
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);
    const web = await get(preview, '/site/2024-03/');
    expect(web.text).toContain('href="../assets/style.css"');
    expect((await get(preview, '/site/assets/style.css')).type).toContain('text/css');
    expect((await get(preview, '/issues/2024-03/text.txt')).text).toContain('Vårens arbete i nätverket');
    const state = JSON.parse((await get(preview, '/issues/2024-03/state.json')).text) as {
      summary: object;
      sizes: { html: number; style: number };
    };
    expect(state.summary).toEqual({ errors: 0, warnings: 0, infos: 0 });
    expect(state.sizes.html).toBeGreaterThan(10_000);
    expect(state.sizes.style).toBeGreaterThan(0);
  });

  it('answers 404 with a page for an issue that does not exist', async () => {
    const { preview } = await start('clean');
    const page = await get(preview, '/issues/2031-01/');
    expect(page.status).toBe(404);
    expect(page.text).toContain('nyhetsbrev new 2031-01');
  });

  it('notifies open pages of a saved section within moments, rebuilding only that issue', async () => {
    const { preview, dir } = await start(join(ISSUE_FIXTURES, 'teasers'));
    await warmed(preview);
    const events = listen(new URL('/_preview/events?issue=2024-03', preview.url).href);
    await events.ready;
    events.clear();
    const latencies: number[] = [];
    const file = join(dir, '2024-03', '01-kalendarium.md');
    for (let round = 0; round < 5; round++) {
      const before = performance.now();
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n- ${round + 1} juni: extra möte\n`);
      const update = await events.next('2024-03');
      latencies.push(update.at - before);
      expect(update.data.ids).toEqual(['2024-03']);
    }
    events.close();
    latencies.sort((a, b) => a - b);
    console.log(
      `preview: file save → update event, 5 saves: median ${latencies[2]!.toFixed(0)} ms, ${latencies.map((ms) => ms.toFixed(0)).join(' / ')} ms`,
    );
    expect((await get(preview, '/issues/2024-03/text.txt')).text).toContain('5 juni: extra möte');
  });

  it('rebuilds open issues when a template changes, and picks up a new issue folder', async () => {
    const { preview, dir, templates } = await start('clean');
    await warmed(preview);
    const events = listen(new URL('/_preview/events?issue=2024-03', preview.url).href);
    await events.ready;
    events.clear();
    const partial = join(templates, 'email', 'partials', 'styles.mjml.hbs');
    writeFileSync(partial, readFileSync(partial, 'utf8'));
    expect((await events.next()).data.ids).toBe('*');
    mkdirSync(join(dir, '2024-04'));
    writeFileSync(
      join(dir, '2024-04', 'issue.md'),
      '---\ntitle: Aprilnumret\ndate: 2024-04-25\neditor: Karin\nstatus: draft\n---\nEn ledare om våren och om allt som händer i nätverkets forum i april.\n',
    );
    await expect
      .poll(async () => (await get(preview, '/')).text, { timeout: 30_000 })
      .toContain('Aprilnumret');
    events.close();
  });

  it('never goes down on bad content: garbage, an empty issue.md, a deleted folder', async () => {
    const { preview, dir } = await start('clean');
    const events = listen(new URL('/_preview/events?issue=2024-03', preview.url).href);
    await events.ready;
    writeFileSync(
      join(dir, '2024-03', '01-vagledning.md'),
      Buffer.from([0xff, 0xfe, 0x00, 0x23, 0x0a, 0xe5]),
    );
    // The first update may still be of the build the subscription started: wait for the one after the write.
    await expect
      .poll(async () => (await get(preview, '/issues/2024-03/')).text, { timeout: 30_000 })
      .toContain('encoding');
    writeFileSync(join(dir, '2024-03', 'issue.md'), '');
    await events.next('2024-03');
    expect((await get(preview, '/issues/2024-03/')).status).toBe(200);
    rmSync(join(dir, '2024-03'), { recursive: true });
    await expect
      .poll(async () => (await get(preview, '/issues/2024-03/')).status, { timeout: 30_000 })
      .toBe(404);
    expect((await get(preview, '/')).status).toBe(200);
    events.close();
  });

  it('shows an invalid config as a banner, keeps the previous one, and recovers', async () => {
    const configDir = tempDir();
    const configFile = join(configDir, 'nyhetsbrev.yml');
    const good =
      'organisation: Nätverket\nnewsletter: Nyhetsbrev\nbaseUrl: https://natverket.example.org/nyhetsbrev/\nsender:\n  from: n@natverket.example.org\nfooter: Du får det här brevet.\n';
    writeFileSync(configFile, good);
    const reload = () => loadConfig(configFile, { explicit: true });
    const { preview } = await start('clean', { config: reload(), reloadConfig: reload });
    await warmed(preview);
    writeFileSync(configFile, good.replace('baseUrl: https://', 'baseUrl: ftp://'));
    await expect
      .poll(async () => (await get(preview, '/')).text, { timeout: 30_000 })
      .toContain('Konfigurationen har fel');
    expect((await get(preview, '/')).text).toContain('ConfigInvalid');
    writeFileSync(configFile, good.replace('newsletter: Nyhetsbrev', 'newsletter: Månadsbrevet'));
    await expect
      .poll(async () => (await get(preview, '/issues/2024-03/email.html')).text, { timeout: 30_000 })
      .toContain('Månadsbrevet');
    expect((await get(preview, '/')).text).not.toContain('Konfigurationen har fel');
  });
});
