import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Sample } from './stats.ts';

/** Hugo's version line, or undefined when `hugo` is not on PATH. */
export function hugoVersion(): string | undefined {
  const result = spawnSync('hugo', ['version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.trim();
}

/**
 * Writes a Hugo site with the same content as the archive in `issuesDir`: one `content/<id>.md`
 * per issue (the intro, then each section under an `##` heading, sub-headings one level down,
 * footnote labels made unique per section), and a minimal layout doing similar work to ours: a
 * single page per issue with table of contents, previous/next and two teasers, a list page of
 * every issue grouped by year, RSS and sitemap (Hugo's built-ins).
 */
export function writeHugoSite(issuesDir: string, siteDir: string): void {
  rmSync(siteDir, { recursive: true, force: true });
  mkdirSync(join(siteDir, 'content'), { recursive: true });
  for (const id of readdirSync(issuesDir).sort()) {
    writeFileSync(join(siteDir, 'content', `${id}.md`), hugoPage(join(issuesDir, id)));
  }
  writeFileSync(join(siteDir, 'config.toml'), CONFIG);
  for (const [path, text] of Object.entries(LAYOUTS)) {
    mkdirSync(join(siteDir, 'layouts', path, '..'), { recursive: true });
    writeFileSync(join(siteDir, 'layouts', path), text);
  }
}

/** Builds the Hugo site cold (no output, no resource cache): wall and CPU milliseconds. */
export function buildHugo(siteDir: string): Sample {
  rmSync(join(siteDir, 'public'), { recursive: true, force: true });
  rmSync(join(siteDir, 'resources'), { recursive: true, force: true });
  return timedCommand(`hugo --quiet --source ${quote(siteDir)} --destination public`);
}

/**
 * Indexes the built Hugo site with Pagefind's CLI (what a Hugo site with search runs after
 * `hugo`): wall and CPU milliseconds, including the start of the `pagefind` npm runner.
 */
export function pagefindHugo(siteDir: string, pagefindBin: string): Sample {
  rmSync(join(siteDir, 'public', 'pagefind'), { recursive: true, force: true });
  return timedCommand(`${quote(pagefindBin)} --site ${quote(join(siteDir, 'public'))} --force-language sv`);
}

// Runs a shell command; CPU time from the shell's \`times\` (user + system of its children).
function timedCommand(command: string): Sample {
  const start = performance.now();
  const result = spawnSync('bash', ['-c', `${command} > /dev/null && times`], { encoding: 'utf8' });
  const wallMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.error?.message}`);
  const children = result.stdout.trim().split('\n').at(-1) ?? '';
  const cpuMs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, [, m, s]) => sum + (Number(m) * 60 + Number(s)) * 1000,
    0,
  );
  return { wallMs, cpuMs };
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

function hugoPage(folder: string): string {
  const issue = readFileSync(join(folder, 'issue.md'), 'utf8');
  const [, front = '', intro = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(issue) ?? [];
  const parts = [`---\n${front}\n---\n`, intro.trim(), ''];
  const sections = readdirSync(folder)
    .filter((name) => name.endsWith('.md') && name !== 'issue.md')
    .sort();
  sections.forEach((name, index) => {
    const text = readFileSync(join(folder, name), 'utf8')
      .replace(/^(#{1,5}) /gm, '#$1 ')
      .replace(/\[\^([^\]]+)\]/g, `[^s${index + 1}-$1]`);
    parts.push(text.trim(), '');
  });
  return parts.join('\n');
}

const CONFIG = `baseURL = "https://natverket.example.org/nyhetsbrev/"
languageCode = "sv"
title = "Nyhetsbrev från Myndighetsnätverket"
disableKinds = ["taxonomy", "term"]
# The synthetic archive's later issues are dated after today: Hugo leaves future-dated pages out
# unless told (at 1,000 issues it built 324 of them), while nyhetsbrev builds every issue.
buildFuture = true
[markup.goldmark.renderer]
unsafe = false
[markup.tableOfContents]
startLevel = 2
endLevel = 2
`;

const LAYOUTS: Record<string, string> = {
  '_default/baseof.html': `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="{{ "assets/style.css" | relURL }}"></head>
<body><a class="skip" href="#innehall">Till innehållet</a><header><a href="{{ "" | relURL }}">{{ site.Title }}</a></header>
<main id="innehall">{{ block "main" . }}{{ end }}</main><footer>Myndighetsnätverket</footer></body></html>
`,
  '_default/single.html': `{{ define "main" }}<article>
<p>{{ .Date.Format "January 2006" }}</p><h1>{{ .Title }}</h1><p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<nav class="toc"><h2>I detta nummer</h2>{{ .TableOfContents }}</nav>
{{ .Content }}
<p class="signature">{{ .Params.editor }}</p>
</article>
<nav class="pager">{{ with .PrevInSection }}<a href="{{ .RelPermalink }}" rel="next">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href="{{ .RelPermalink }}" rel="prev">{{ .Title }}</a>{{ end }}</nav>
<aside><h2>Fler nyhetsbrev</h2><ul>{{ range first 2 (where site.RegularPages "Permalink" "ne" .Permalink) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Summary | plainify | truncate 250 }}</p></li>{{ end }}</ul></aside>
{{ end }}
`,
  'index.html': `{{ define "main" }}<h1>Arkiv</h1>
{{ range (site.RegularPages.GroupByDate "2006") }}<h2>{{ .Key }}</h2><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span>{{ .Date.Format "January 2006" }}</span><p>{{ .Summary | plainify | truncate 250 }}</p></li>
{{ end }}</ul>{{ end }}
{{ end }}
`,
};
