import type { VFile } from 'vfile';
import { kilobytes, LIMITS } from '../check/index.ts';
import type { ParsedIssue } from '../model.ts';
import { messagesAsJson, summarise } from '../report/reporter.ts';
import type { Failure } from './failure.ts';
import { html, type SafeHtml } from './html.ts';
import { configBanner, counts, layout, status } from './layout.ts';
import { messageList, overlay, type Message } from './messages.ts';
import type { IssueView } from './view.ts';

/** Page data of one issue. */
export interface IssuePageData {
  view: IssueView;
  parsed: ParsedIssue | undefined;
  files: readonly VFile[];
  /** Paths in messages are relative to this folder. */
  cwd: string;
  configFailure: Failure | undefined;
}

/**
 * An issue's page: the email at 600 and 375 px, the web page, the text part, the size meter and
 * every message; an overlay over it all when the issue has errors or could not be built.
 */
export function issuePage({ view, parsed, files, cwd, configFailure }: IssuePageData): string {
  const messages = messagesAsJson(files, { cwd }) as Message[];
  const id = view.id;
  const shown = view.shown;
  const title = parsed?.meta.title ?? shown?.built.issue.meta.title ?? id;
  const body = html`${header(view, parsed, summarise(files), title)}
    <main>
      ${configBanner(configFailure)}
      ${shown ? '' : html`<p class="banner">Numret har inte gått att bygga ännu – se felen nedan. Sidan uppdateras när du sparar.</p>`}
      <section id="storlek" aria-labelledby="storlek-rubrik">
        <h2 id="storlek-rubrik">Storlek</h2>
        ${shown ? meters(shown.sizes) : EMPTY}
      </section>
      <section id="meddelanden" aria-labelledby="meddelanden-rubrik">
        <h2 id="meddelanden-rubrik">Meddelanden</h2>
        ${messageList(messages, view.failure)}
      </section>
      ${renderedSections(view)}
    </main>
    ${overlay(
      messages.filter((message) => message.severity === 'error'),
      view.failure,
      Boolean(shown),
    )}`;
  return layout(`${id}: ${title} – förhandsvisning`, body, { id, version: view.version }).value;
}

const EMPTY = html`<p class="empty">–</p>`;

/** The bar at the top: the issue's title, its status, the message counts and the page's contents. */
function header(
  view: IssueView,
  parsed: ParsedIssue | undefined,
  summary: ReturnType<typeof summarise>,
  title: string,
): SafeHtml {
  return html`<header class="bar">
    <a href="/">← Alla nummer</a>
    <h1>${view.id}: ${title}</h1>
    ${status(parsed)} ${counts(view.failure ? { ...summary, errors: summary.errors + 1 } : summary)}
    <nav aria-label="På sidan">
      <a href="#epost">E-post</a><a href="#webb">Webbsida</a><a href="#text">Textdel</a
      ><a href="#meddelanden">Meddelanden</a>
    </nav>
  </header>`;
}

/** The email, the web page and the text part of the last build that worked (a dash before one has). */
function renderedSections(view: IssueView): SafeHtml {
  const { shown } = view;
  const v = `?v=${view.version}`;
  return html`<section id="epost" aria-labelledby="epost-rubrik">
      <h2 id="epost-rubrik">E-post</h2>
      ${shown ? emailFrames(shown.built.email, `/issues/${encodeURIComponent(view.id)}`, v) : EMPTY}
    </section>
    <section id="webb" aria-labelledby="webb-rubrik">
      <h2 id="webb-rubrik">Webbsida</h2>
      ${shown ? html`<iframe id="web" data-autosize title="Numrets sida i webbarkivet" src="/site/${encodeURIComponent(view.id)}/${v}"></iframe>` : EMPTY}
    </section>
    <section id="text" aria-labelledby="text-rubrik">
      <h2 id="text-rubrik">Textdel</h2>
      ${shown ? html`<pre class="text-part" id="text-part">${shown.built.email.text}</pre>` : EMPTY}
    </section>`;
}

/** The subject line, the preheader and the email at 600 and 375 px. */
function emailFrames(email: { subject: string; preheader: string }, base: string, v: string): SafeHtml {
  return html`<p>
      <strong>Ämnesrad:</strong> ${email.subject}<br /><strong>Förhandstext:</strong>
      ${email.preheader}
    </p>
    <div class="devices">
      ${device('Dator', 'email-desktop', 600, base, v)} ${device('Mobil', 'email-mobile', 375, base, v)}
    </div>`;
}

/** The email in a frame `width` px wide, under its caption. */
function device(label: string, id: string, width: number, base: string, v: string): SafeHtml {
  return html`<figure>
    <figcaption>${label}, ${width} px</figcaption>
    <iframe
      id="${id}"
      data-autosize
      title="E-posten i ${width} px bredd"
      src="${base}/email.html${v}"
      width="${width}"
    ></iframe>
  </figure>`;
}

function meters(sizes: { html: number; style: number }): SafeHtml {
  return html`<div class="meters">
    <label for="meter-html">E-postens HTML</label
    ><meter
      id="meter-html"
      min="0"
      max="${LIMITS.clip}"
      low="${LIMITS.htmlWarning}"
      high="${LIMITS.htmlError}"
      optimum="0"
      value="${sizes.html}"
    ></meter
    ><span>${kilobytes(sizes.html)} av ${kilobytes(LIMITS.clip)} (Gmail klipper därefter)</span>
    <label for="meter-style"><code>&lt;style&gt;</code></label
    ><meter
      id="meter-style"
      min="0"
      max="${LIMITS.style}"
      low="${LIMITS.style * 0.8}"
      high="${LIMITS.style}"
      optimum="0"
      value="${sizes.style}"
    ></meter
    ><span>${kilobytes(sizes.style)} av ${kilobytes(LIMITS.style)}</span>
  </div>`;
}
