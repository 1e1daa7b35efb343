import type { Failure } from './failure.ts';
import { html, type SafeHtml } from './html.ts';
import { failureText } from './layout.ts';

/** A message as the preview shows it (the shape of `messagesAsJson`). */
export interface Message {
  file: string | null;
  line: number | null;
  column: number | null;
  severity: 'error' | 'warning' | 'info';
  message: string;
  ruleId: string | null;
  hint: string | null;
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

/** Every message of the issue, with the build failure (if any) above them. */
export function messageList(messages: readonly Message[], failure: Failure | undefined): SafeHtml {
  if (messages.length === 0 && !failure)
    return html`<p class="empty">Inga meddelanden – numret klarar alla kontroller.</p>`;
  return html`${failure ? html`<div class="banner">${failureText(failure)}</div>` : ''}
    <ul class="messages">
      ${messages.map(messageItem)}
    </ul>`;
}

/** The dialog over the page while the issue has errors or could not be built; empty otherwise. */
export function overlay(
  errors: readonly Message[],
  failure: Failure | undefined,
  hasRender: boolean,
): SafeHtml {
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
