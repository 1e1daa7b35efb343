import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import { checkIssue, emailSizes, issueIds, LIMITS, RULES, type EmailSizes } from '../../src/check/index.ts';
import type { RuleContext } from '../../src/check/rule.ts';
import { emailSize } from '../../src/check/rules/email-size.ts';
import { mjml, mjmlRule, validateMjml } from '../../src/check/rules/mjml.ts';
import { styleSize } from '../../src/check/rules/style-size.ts';
import { isUserError } from '../../src/errors.ts';
import { loadArchive } from '../../src/pipeline.ts';
import { messagesAsJson } from '../../src/report/reporter.ts';
import { TEMPLATES_DIR } from '../../src/render/templates.ts';
import { ISSUE_FIXTURES, tempDir, testConfig } from '../support/spine.ts';
import { brief, CHECK_FIXTURES, type Found } from './helpers.ts';

const config = testConfig();

async function cleanContext(): Promise<RuleContext> {
  const archive = await loadArchive(join(CHECK_FIXTURES, 'clean'), config);
  const result = await checkIssue(archive, '2024-03', config);
  const issue = archive.issues[0]!;
  return {
    config,
    issue,
    issueFile: issue.files[0]!,
    bodies: [],
    built: result.built,
    sizes: result.sizes,
    extraFiles: [],
  };
}

describe('checkIssue', () => {
  it('returns the built issue, its sizes and a summary for an issue that renders', async () => {
    const archive = await loadArchive(join(CHECK_FIXTURES, 'footnote'), config);
    const result = await checkIssue(archive, '2024-03', config);
    expect(result.built?.issue.id).toBe('2024-03');
    expect(result.sizes?.html).toBe(Buffer.byteLength(result.built!.email.html));
    expect(result.summary).toEqual({ errors: 1, warnings: 1, infos: 0 });
  });

  it('surfaces front matter errors from parse, with no render, for an unusable issue.md', async () => {
    const dir = join(ISSUE_FIXTURES, 'invalid-yaml');
    const archive = await loadArchive(dir, config);
    const result = await checkIssue(archive, '2024-01', config);
    expect(result.built).toBeUndefined();
    expect(brief(messagesAsJson(result.files, { cwd: dir }) as Found[])).toEqual([
      '2024-01/issue.md:2:8 error front-matter',
    ]);
  });

  it('reports a missing title as a front-matter error of check', async () => {
    const dir = join(ISSUE_FIXTURES, 'missing-title');
    const archive = await loadArchive(dir, config);
    const result = await checkIssue(archive, '2024-01', config);
    const rules = messagesAsJson(result.files, { cwd: dir }).map((message) => (message as Found).ruleId);
    expect(rules).toEqual(['front-matter']);
    expect(result.summary.errors).toBe(1);
  });

  it('gives the same result when asked twice for one loaded archive (no doubled messages)', async () => {
    const archive = await loadArchive(join(CHECK_FIXTURES, 'link-text'), config);
    const first = await checkIssue(archive, '2024-03', config);
    const second = await checkIssue(archive, '2024-03', config);
    expect(second).toBe(first);
    expect(second.summary.warnings).toBe(3);
  });

  it('throws IssueNotFound for an id that is not in the archive', async () => {
    const archive = await loadArchive(join(CHECK_FIXTURES, 'clean'), config);
    const error = await checkIssue(archive, '2031-01', config).catch((thrown: unknown) => thrown);
    expect(isUserError(error) && error.name).toBe('IssueNotFound');
  });

  it('lists every issue id, drafts and broken ones included', async () => {
    expect(issueIds(await loadArchive(join(ISSUE_FIXTURES, 'teasers'), config))).toEqual([
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
      '2024-05',
      '2024-06',
    ]);
    expect(issueIds(await loadArchive(join(ISSUE_FIXTURES, 'invalid-yaml'), config))).toEqual(['2024-01']);
  });

  it('has one rule per id, each with a description', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'image-alt',
        'heading-order',
        'link-text',
        'link-url',
        'footnote',
        'duplicate-section-title',
        'email-size',
        'style-size',
        'preheader-length',
        'date-folder',
        'image-file',
        'mjml',
        'draft',
      ]),
    );
    for (const rule of RULES) expect(rule.description.length).toBeGreaterThan(10);
  });
});

describe('email-size and style-size thresholds', () => {
  it('warns between 90 and 100 KB of HTML, errors above, says nothing at 90 KB', async () => {
    for (const [bytes, expected] of [
      [LIMITS.htmlWarning, []],
      [LIMITS.htmlWarning + 1, ['warning']],
      [LIMITS.htmlError + 1, ['error']],
    ] as const) {
      const context = await cleanContext();
      await emailSize.check({ ...context, sizes: { html: bytes, style: 0 } });
      expect(context.issueFile.messages.map((message) => (message.fatal ? 'error' : 'warning'))).toEqual(
        expected,
      );
    }
  });

  it('errors above 16 KB of <style>, not at 16 KB', async () => {
    const at = await cleanContext();
    await styleSize.check({ ...at, sizes: { html: 1000, style: LIMITS.style } });
    expect(at.issueFile.messages).toEqual([]);
    const over = await cleanContext();
    await styleSize.check({ ...over, sizes: { html: 1000, style: LIMITS.style + 1 } });
    expect(over.issueFile.messages.map((message) => [message.ruleId, message.fatal])).toEqual([
      ['style-size', true],
    ]);
  });

  it('measures <style> as the bytes of every style element, not the rest of the HTML', () => {
    const css = `p { color: #1f2328; } /* ${'å'.repeat(100)} */`;
    const html = `<!doctype html><html><head><style>${css}</style><style>a{}</style></head><body><p>style</p></body></html>`;
    expect(emailSizes(html)).toEqual({ html: Buffer.byteLength(html), style: Buffer.byteLength(css) + 3 });
  });

  it('measures <style> as an HTML parser reads it: not inside comments, to the first </style', () => {
    const cases = [
      '<head><!--[if mso]><xml><style>v\\:* { behavior: url(#default#VML); }</style></xml><![endif]--><style type="text/css">a{}</style></head>',
      '<head><STYLE media="screen and (max-width:480px)">p{}/* <!-- not a comment --> */</Style ><styles>x</styles></head>',
      '<head><style>ok{}</style><!-- <style>gone{}</style> --><style/>b{}</style><style>unterminated {',
      '<body><p>&lt;style&gt;text&lt;/style&gt;</p><style\n>c{}</style\t></body>',
    ];
    for (const html of cases) expect(emailSizes(html), html).toEqual(parsedSizes(html));
  });
});

describe('mjml rule', () => {
  it('finds nothing in the email of the clean fixture', async () => {
    const context = await cleanContext();
    expect(validateMjml(context.built!.email.mjml)).toEqual([]);
  });

  it('maps a validation error back to the template line that produced it', async () => {
    const context = await cleanContext();
    // A template typo: an attribute <mj-divider> does not have, in a copy of the templates.
    const templates = tempDir('nyhetsbrev-templates-');
    cpSync(TEMPLATES_DIR, templates, { recursive: true });
    const templatePath = join(templates, 'email', 'issue.mjml.hbs');
    const lines = readFileSync(templatePath, 'utf8').split('\n');
    const typo = lines.findIndex((line) => line.includes('<mj-divider'));
    lines[typo] = lines[typo]!.replace('<mj-divider', '<mj-divider colour="red"');
    writeFileSync(templatePath, lines.join('\n'));
    const mjmlSource = context.built!.email.mjml.replaceAll('<mj-divider', '<mj-divider colour="red"');
    const broken = {
      ...context,
      built: { ...context.built!, email: { ...context.built!.email, mjml: mjmlSource } },
    };

    await mjmlRule({ templatesDir: templates }).check(broken);
    const messages = broken.extraFiles.flatMap((file) =>
      file.messages.map((message) => `${file.path}:${message.line}:${message.column} ${message.reason}`),
    );
    const column = lines[typo].indexOf('<mj-divider') + 1;
    // The divider is generated once per section; the template line is reported once.
    expect(context.built!.email.mjml.split('<mj-divider').length - 1).toBeGreaterThan(1);
    expect(messages).toEqual([`${templatePath}:${typo + 1}:${column} MJML: Attribute colour is illegal`]);
    expect(context.issueFile.messages).toEqual([]);
  });

  it('puts an error it cannot map on issue.md, with the generated line in the hint', async () => {
    const context = await cleanContext();
    const mjmlSource = context.built!.email.mjml.replace(
      '</mj-body>',
      '<mj-spacer height="10px" /></mj-body>',
    );
    await mjml.check({
      ...context,
      built: { ...context.built!, email: { ...context.built!.email, mjml: mjmlSource } },
    });
    const [message] = context.issueFile.messages;
    expect(message?.ruleId).toBe('mjml');
    expect(message?.reason).toMatch(/^MJML: mj-spacer cannot be used inside mj-body/);
    expect(message?.note).toContain('<mj-spacer height="10px" />');
  });
});

/** Sizes as a full HTML parse measures them (what `emailSizes` scans for without one). */
function parsedSizes(html: string): EmailSizes {
  let style = 0;
  visit(fromHtml(html), 'element', (node: Element) => {
    if (node.tagName !== 'style') return;
    for (const child of node.children) if (child.type === 'text') style += Buffer.byteLength(child.value);
  });
  return { html: Buffer.byteLength(html), style };
}
