import type Handlebars from 'handlebars';

/**
 * Registers the helpers the email and web templates share:
 * - `{{lines value}}`: a value of several lines (the editor's signature) escaped line by line and
 *   joined by `<br>`, so the lines the editor wrote stay lines in HTML.
 */
export function registerHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('lines', (value: unknown) => {
    const lines = String(value)
      .split('\n')
      .map((line) => handlebars.escapeExpression(line));
    return new handlebars.SafeString(lines.join('<br>'));
  });
}
