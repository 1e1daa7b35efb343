import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/** A list anyone may subscribe to on the web, as shown on the subscribe page. */
export interface PublicList {
  id: string;
  name: string;
  description: string | undefined;
  /** Pre-checked: the file's `default` list, or the only public list. */
  checked: boolean;
}

const YES = new Set([true, 'yes', 'ja', 'true', 'on']);

/**
 * The public lists of `subscribers/lists.yml` (`id`, `name`, `description`, `public`), read
 * tolerantly: a missing or unreadable file, or entries without an id, give fewer lists, never an
 * error — the subscribe page then posts without a choice and the endpoint uses its default list.
 * (`nyhetsbrev check` and the subscriber commands validate the file strictly.)
 */
export async function readPublicLists(path: string): Promise<PublicList[]> {
  let data: unknown;
  try {
    data = parse(await readFile(path, 'utf8'));
  } catch {
    return [];
  }
  if (!isRecord(data) || !Array.isArray(data.lists)) return [];
  const lists = data.lists
    .filter(isRecord)
    .filter((list) => typeof list.id === 'string' && YES.has(lower(list.public) as string | boolean));
  const fallback = lists.length === 1 ? lists[0]?.id : data.default;
  return lists.map((list) => ({
    id: String(list.id),
    name: typeof list.name === 'string' ? list.name : String(list.id),
    description: typeof list.description === 'string' ? list.description.trim() : undefined,
    checked: list.id === fallback,
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lower(value: unknown): unknown {
  return typeof value === 'string' ? value.trim().toLowerCase() : value;
}
