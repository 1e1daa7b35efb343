import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { EMAIL_MJML_OPTIONS } from '../render/mjml.ts';
import { mjmlModules } from '../render/mjml-modules.ts';
import { loadTemplate, TEMPLATES_DIR } from '../render/templates.ts';

/** A service email (confirmation, welcome) rendered from its two templates. */
export interface ServiceEmail {
  html: string;
  text: string;
  /** The MJML the HTML was compiled from. */
  mjml: string;
  /** MJML validation problems (none for the shipped templates). */
  errors: string[];
}

const textTemplates = new Map<string, HandlebarsTemplateDelegate>();

/**
 * Renders `templates/email/<name>.mjml.hbs` and `<name>.txt.hbs` with `data` through the
 * newsletter's own path: Handlebars (strict) → MJML 5 → minified HTML, plus the plain-text part.
 */
export async function renderServiceEmail(name: string, data: object): Promise<ServiceEmail> {
  const mjml = loadTemplate('email', `${name}.mjml.hbs`)(data);
  // Straight to MJML, not through the result cache: these emails hold a subscriber's token.
  const result = await mjmlModules().mjml2html(mjml, EMAIL_MJML_OPTIONS);
  let text = textTemplates.get(name);
  if (!text) {
    text = Handlebars.create().compile(
      readFileSync(join(TEMPLATES_DIR, 'email', `${name}.txt.hbs`), 'utf8'),
      {
        strict: true,
        noEscape: true,
      },
    );
    textTemplates.set(name, text);
  }
  return {
    html: result.html,
    text: text(data),
    mjml,
    errors: result.errors.map((error) => `${error.tagName} line ${error.line}: ${error.message}`),
  };
}
