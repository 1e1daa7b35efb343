import { createHash } from 'node:crypto';
import type { ListItem, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { CalendarEvent, Section } from '../model.ts';
import { parseWhen, type When } from './kalendarium-dates.ts';

/** One item of a Kalendarium list: its node (for the line), its text, and its date if it has one. */
export interface KalendariumItem {
  node: ListItem;
  text: string;
  when: When | undefined;
}

/**
 * True for the issue's calendar section: titled "Kalendarium" (or "Calendar", in English), or
 * given `id: kalendarium`.
 */
export function isKalendarium(section: Pick<Section, 'title' | 'slug'>): boolean {
  return (
    /^(?:kalendarium|calendar)(?![\p{L}\p{N}])/iu.test(section.title.trim()) || section.slug === 'kalendarium'
  );
}

/**
 * The items of the lists at the top level of a Kalendarium section (nested lists are details of
 * an item, not items), each with its date read relative to the issue's date.
 */
export function kalendariumItems(tree: Root, issueDate: string): KalendariumItem[] {
  return tree.children.flatMap((node) =>
    node.type === 'list'
      ? node.children.map((item) => {
          const first = item.children[0];
          const text = first?.type === 'paragraph' ? toString(first).replace(/\s+/g, ' ').trim() : '';
          return { node: item, text, when: parseWhen(text, issueDate) };
        })
      : [],
  );
}

/**
 * The calendar events of an issue: the dated items of its Kalendarium sections, in order. Items
 * without a date are left out here (they stay list items; `check` warns about them).
 */
export function issueEvents(
  sections: readonly Pick<Section, 'title' | 'slug' | 'body'>[],
  issueDate: string,
): CalendarEvent[] {
  return sections
    .filter(isKalendarium)
    .flatMap((section) =>
      kalendariumItems(section.body.mdast, issueDate).flatMap(({ text, when }) =>
        when ? [toEvent(when, text, section.slug)] : [],
      ),
    );
}

function toEvent(when: When, text: string, section: string): CalendarEvent {
  const { start, end, startTime, endTime } = when;
  // Stable across issues and rebuilds: the same item repeated in the next issue is the same
  // event, so a subscribed calendar shows it once; an edited date or text is a new event.
  const uid = createHash('sha256')
    .update([start, end, startTime ?? '', endTime ?? '', when.rest].join('\n'))
    .digest('hex')
    .slice(0, 24);
  const summary = when.rest.charAt(0).toLocaleUpperCase('sv') + when.rest.slice(1);
  return { uid, summary, text, start, end, startTime, endTime, section };
}
