import { readFile } from 'node:fs/promises';
import { yesNo } from '../audience/lists.ts';
import { parseYaml } from '../yaml.ts';

/** A list anyone may subscribe to on the web, as shown on the subscribe page. */
export interface PublicList {
  id: string;
  name: string;
  description: string | undefined;
  /** Pre-checked: the file's `default` list, or the only public list. */
  checked: boolean;
}

/**
 * The public lists of `subscribers/lists.yml` (`id`, `name`, `description`, `public`) for the web
 * archive's subscribe page, read tolerantly: a missing, unreadable or invalid file, or entries
 * without an id, give fewer lists, never an error — the page then posts without a choice and the
 * endpoint uses its default list.
 *
 * Why not `loadLists`: the archive is built apart from the subscriber side (`build` never reads the
 * database, and may run where the lists file is not kept), and a bad file is for `serve`, `send`
 * and the `subscribers` commands to refuse, with every problem at its line. What the reading
 * shares with theirs: the YAML helper, and `public:` read by the same {@link yesNo} — a value they
 * refuse (`on`, `Yes`) makes no list public here, so the page offers only lists `serve` would.
 */
export async function readPublicLists(path: string): Promise<PublicList[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const yaml = parseYaml(text);
  const data: unknown = yaml.error ? undefined : yaml.data;
  if (!isRecord(data) || !Array.isArray(data.lists)) return [];
  const lists = data.lists
    .filter(isRecord)
    .filter((list) => typeof list.id === 'string' && yesNo.safeParse(list.public).data === true);
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
