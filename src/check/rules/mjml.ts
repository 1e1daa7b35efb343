import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VFile } from 'vfile';
import { validateMjml, type MjmlError } from '../../render/mjml.ts';
import { report } from '../../report/message.ts';
import { lines, type Rule } from '../rule.ts';

export { validateMjml } from '../../render/mjml.ts';

/**
 * `mjml`: the email's MJML is valid. The MJML is generated from the templates, and the issue's
 * content sits inside `<mj-text>` (which MJML does not validate), so errors come from templates:
 * each is mapped back to the template line it came from (the theme's partials included) when that
 * line can be found, else it is reported on `issue.md` with the line of the generated MJML. Replaces the unmapped messages that
 * rendering (at MJML's `soft` level) put on `issue.md`.
 */
export const mjml: Rule = mjmlRule();

/** The `mjml` rule, mapping errors to the templates in `templatesDir` (default: the shipped ones). */
export function mjmlRule({ templatesDir }: { templatesDir?: string } = {}): Rule {
  return {
    id: 'mjml',
    description: 'the email’s MJML passes MJML validation (strict)',
    severity: ['error'],
    examples: [
      { name: 'the email of an issue, from the shipped templates', files: {} },
      {
        name: 'a theme whose email header gives <mj-text> an attribute it does not have',
        files: {},
        theme: {
          'theme.yml': lines('font: Georgia, serif'),
          'email/header.mjml.hbs': lines(
            '<mj-section css-class="sec-masthead">',
            '  <mj-column>',
            '    <mj-text colour="red">{{organisation}}</mj-text>',
            '  </mj-column>',
            '</mj-section>',
          ),
        },
        messages: ['theme/email/header.mjml.hbs:3:5 error MJML: Attribute colour is illegal'],
      },
    ],
    async check({ built, config, issueFile, extraFiles }) {
      if (!built) return;
      issueFile.messages = issueFile.messages.filter((message) => message.ruleId !== 'mjml');
      const errors = validateMjml(built.email.mjml);
      if (errors.length === 0) return;
      const source = built.email.mjml.split('\n');
      const dir = templatesDir ?? (await import('../../render/templates.ts')).TEMPLATES_DIR;
      const templates = emailTemplates(join(dir, 'email'), config.theme.partials.email);
      reportErrors(errors, source, templates, issueFile, extraFiles);
    },
  };
}

/**
 * Reports each error on the template line it came from, in a VFile of that template added to
 * `extraFiles` (one per template), else on `issueFile` with the line of the generated MJML.
 */
function reportErrors(
  errors: readonly MjmlError[],
  source: readonly string[],
  templates: TemplateSource[],
  issueFile: VFile,
  extraFiles: VFile[],
): void {
  const files = new Map<string, VFile>();
  // A template line inside `{{#each sections}}` fails once per section: report it once.
  const seen = new Set<string>();
  for (const error of errors) {
    const generated = source[error.line - 1] ?? '';
    const origin = findTemplateLine(generated, error.tagName, templates);
    if (!origin) {
      report(issueFile, `MJML: ${error.message}`, {
        ruleId: 'mjml',
        hint: `Line ${error.line} of the generated MJML (<${error.tagName}>): \`${generated.trim().slice(0, 120)}\`. Check templates/email/.`,
      });
      continue;
    }
    const key = `${origin.path}:${origin.line}:${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let file = files.get(origin.path);
    if (!file) {
      file = new VFile({ path: origin.path, value: origin.text });
      files.set(origin.path, file);
      extraFiles.push(file);
    }
    report(file, `MJML: ${error.message}`, {
      ruleId: 'mjml',
      place: { line: origin.line, column: origin.column },
      hint: `Fix the <${error.tagName}> element in the email template; see https://documentation.mjml.io/ for its attributes and where it may be used.`,
    });
  }
}

interface TemplateSource {
  path: string;
  text: string;
  lines: string[];
}

// The issue template, its partials and the theme's (header and footer).
function emailTemplates(dir: string, themePartials: readonly string[]): TemplateSource[] {
  const paths = [join(dir, 'issue.mjml.hbs'), ...themePartials];
  try {
    for (const name of readdirSync(join(dir, 'partials')).sort()) paths.push(join(dir, 'partials', name));
  } catch {
    // no partials
  }
  return paths.map((path) => {
    const text = readFileSync(path, 'utf8');
    return { path, text, lines: text.split('\n') };
  });
}

const EXPRESSION = /\{\{\{?[^}]*\}?\}\}/g;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The template line that generated `line` of the MJML: its literal parts, with every Handlebars
 * expression as a wildcard, match the whole generated line. Among several, the one with the most
 * literal text wins (the most specific).
 */
export function findTemplateLine(
  line: string,
  tagName: string,
  templates: TemplateSource[],
): { path: string; text: string; line: number; column: number } | undefined {
  const target = line.trim();
  let best: { path: string; text: string; line: number; column: number; weight: number } | undefined;
  for (const template of templates) {
    template.lines.forEach((text, index) => {
      const trimmed = text.trim();
      if (!trimmed.includes(`<${tagName}`)) return;
      const literal = trimmed.split(EXPRESSION);
      const pattern = new RegExp(`^${literal.map(escape).join('[\\s\\S]*?')}$`);
      if (!pattern.test(target)) return;
      const weight = literal.join('').length;
      if (best && best.weight >= weight) return;
      best = {
        path: template.path,
        text: template.text,
        line: index + 1,
        column: text.indexOf(`<${tagName}`) + 1,
        weight,
      };
    });
  }
  return best && { path: best.path, text: best.text, line: best.line, column: best.column };
}
