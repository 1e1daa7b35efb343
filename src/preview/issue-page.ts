import type { VFile } from 'vfile';
import { kilobytes, LIMITS } from '../check/index.ts';
import type { ParsedIssue } from '../model.ts';
import { messagesAsJson, summarise } from '../report/reporter.ts';
import type { Failure } from './failure.ts';
import { html, type SafeHtml } from './html.ts';
import { configBanner, counts, failureText, layout, status } from './layout.ts';
import type { IssueView } from './workspace.ts';

/** A message as the preview shows it (the shape of `messagesAsJson`). */
interface Message {
  file: string | null;
  line: number | null;
  column: number | null;
  severity: 'error' | 'warning' | 'info';
  message: string;
  ruleId: string | null;
  hint: string | null;
}

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
  const summary = summarise(files);
  const id = view.id;
  const base = `/issues/${encodeURIComponent(id)}`;
  const v = `?v=${view.version}`;
  const shown = view.shown;
  const title = parsed?.meta.title ?? shown?.built.issue.meta.title ?? id;
  const body = html`<header class="bar">
      <a href="/">← Alla nummer</a>
      <h1>${id}: ${title}</h1>
      ${status(parsed)} ${counts(view.failure ? { ...summary, errors: summary.errors + 1 } : summary)}
      <nav aria-label="På sidan">
        <a href="#epost">E-post</a><a href="#webb">Webbsida</a><a href="#text">Textdel</a
        ><a href="#meddelanden">Meddelanden</a>
      </nav>
    </header>
    <main>
      ${configBanner(configFailure)}
      ${shown ? '' : html`<p class="banner">Numret har inte gått att bygga ännu – se felen nedan. Sidan uppdateras när du sparar.</p>`}
      <section id="storlek" aria-labelledby="storlek-rubrik">
        <h2 id="storlek-rubrik">Storlek</h2>
        ${shown ? meters(shown.sizes) : html`<p class="empty">–</p>`}
      </section>
      <section id="meddelanden" aria-labelledby="meddelanden-rubrik">
        <h2 id="meddelanden-rubrik">Meddelanden</h2>
        ${messageList(messages, view.failure)}
      </section>
      <section id="epost" aria-labelledby="epost-rubrik">
        <h2 id="epost-rubrik">E-post</h2>
        ${
          shown
            ? html`<p>
                  <strong>Ämnesrad:</strong> ${shown.built.email.subject}<br /><strong>Förhandstext:</strong>
                  ${shown.built.email.preheader}
                </p>
                <div class="devices">
                  <figure>
                    <figcaption>Dator, 600 px</figcaption>
                    <iframe
                      id="email-desktop"
                      data-autosize
                      title="E-posten i 600 px bredd"
                      src="${base}/email.html${v}"
                      width="600"
                    ></iframe>
                  </figure>
                  <figure>
                    <figcaption>Mobil, 375 px</figcaption>
                    <iframe
                      id="email-mobile"
                      data-autosize
                      title="E-posten i 375 px bredd"
                      src="${base}/email.html${v}"
                      width="375"
                    ></iframe>
                  </figure>
                </div>`
            : html`<p class="empty">–</p>`
        }
      </section>
      <section id="webb" aria-labelledby="webb-rubrik">
        <h2 id="webb-rubrik">Webbsida</h2>
        ${shown ? html`<iframe id="web" data-autosize title="Numrets sida i webbarkivet" src="/site/${encodeURIComponent(id)}/${v}"></iframe>` : html`<p class="empty">–</p>`}
      </section>
      <section id="text" aria-labelledby="text-rubrik">
        <h2 id="text-rubrik">Textdel</h2>
        ${shown ? html`<pre class="text-part" id="text-part">${shown.built.email.text}</pre>` : html`<p class="empty">–</p>`}
      </section>
    </main>
    ${overlay(
      messages.filter((message) => message.severity === 'error'),
      view.failure,
      Boolean(shown),
    )}`;
  return layout(`${id}: ${title} – förhandsvisning`, body, { id, version: view.version }).value;
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

function place(message: Message): string {
  return `${message.file ?? '?'}:${message.line ?? 1}:${message.column ?? 1}`;
}

function messageItem(message: Message): SafeHtml {
  return html`<li class="message">
    <code>${place(message)}</code
    ><span class="severity severity-${message.severity}">${message.severity}</span>${message.message}
    <span class="rule">${message.ruleId ?? ''}</span
    >${message.hint ? html`<span class="hint">${message.hint}</span>` : ''}
  </li>`;
}

function messageList(messages: readonly Message[], failure: Failure | undefined): SafeHtml {
  if (messages.length === 0 && !failure)
    return html`<p class="empty">Inga meddelanden – numret klarar alla kontroller.</p>`;
  return html`${failure ? html`<div class="banner">${failureText(failure)}</div>` : ''}
    <ul class="messages">
      ${messages.map(messageItem)}
    </ul>`;
}

function overlay(errors: readonly Message[], failure: Failure | undefined, hasRender: boolean): SafeHtml {
  if (errors.length === 0 && !failure) return html``;
  const signature = JSON.stringify([errors.map(place), failure?.message]);
  return html`<div
    id="overlay"
    class="overlay"
    role="alertdialog"
    aria-modal="true"
    aria-labelledby="overlay-title"
    data-signature="${signature}"
  >
    <div class="overlay-box">
      <h2 id="overlay-title">
        ${failure && errors.length === 0 ? 'Numret gick inte att bygga' : `Numret har ${errors.length} fel`}
      </h2>
      <p>
        ${hasRender ? 'Under rutan syns den senaste versionen som gick att bygga.' : 'Det finns inget att visa förrän felet är rättat.'}
        Sidan uppdateras av sig själv när du sparar en rättning.
      </p>
      ${failure ? failureText(failure) : ''}
      <ul class="messages">
        ${errors.map(messageItem)}
      </ul>
      <button type="button" id="overlay-close">Stäng</button>
    </div>
  </div>`;
}
