import type { HelperOptions } from 'handlebars';
import type { Config } from '../config/schema.ts';
import { EDITOR_PLACEHOLDER, renderScaffold, scaffoldData } from './index.ts';

/** What `nyhetsbrev new` writes for issue `id` that the editor must replace. */
export interface Placeholders {
  title: string;
  editor: string;
  /** The texts marked `{{#placeholder}}` in `templates/new/`, whitespace collapsed. */
  texts: string[];
}

/**
 * The placeholders of a fresh scaffold of issue `id`: its title, the editor placeholder, and the
 * texts the templates of `templates/new/` mark with `{{#placeholder}}`, rendered with the same
 * data `new` uses (so dates and the month read as in the scaffold).
 */
export async function scaffoldPlaceholders(
  id: string,
  config: Config,
  templatesDir?: string,
): Promise<Placeholders> {
  const data = scaffoldData(id, config);
  const texts: string[] = [];
  const placeholder = function (this: unknown, options: HelperOptions) {
    const text = options.fn(this);
    texts.push(collapse(text));
    return text;
  };
  await renderScaffold(data, templatesDir, { placeholder });
  return { title: data.title, editor: EDITOR_PLACEHOLDER, texts: texts.filter(Boolean) };
}

/** Whitespace collapsed to single spaces, trimmed: how texts are compared. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
