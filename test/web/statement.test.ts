import { toText } from 'hast-util-to-text';
import { describe, expect, it } from 'vitest';
import { renderStatementPage } from '../../src/render/pages.ts';
import { html } from '../support/spine.ts';
import { headingProblems } from './checks.ts';
import { webConfig } from './site.ts';

const statement = (extra = '') => renderStatementPage(webConfig(extra));
const text = (page: string) => toText(html(page)).replace(/\s+/g, ' ');

describe('the accessibility statement, after DIGG’s model', () => {
  it('by default says what is honest for a site nobody has audited', () => {
    const page = text(statement());
    expect(page).toContain(
      'Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service',
    );
    expect(page).toContain('Vi har ännu inte granskat innehållet manuellt');
    expect(page).toContain('Webbplatsen har ännu inte granskats manuellt');
    expect(page).toContain('Redogörelsen har inte daterats.');
    expect(page).not.toContain('Varje sida testas automatiskt innan den publiceras');
    expect(page).toContain('Testerna körs på exempelnummer, inte på varje sida som publiceras');
  });

  it('states the configured status, known problems, assessment and dates, and links the enforcement body', () => {
    const page = statement(`  status: partial
  issues:
    - Några äldre nummer har bilder utan textalternativ.
    - PDF-bilagan i mars 2026 är inte tillgänglig.
  assessment:
    method: external
    by: Granskningsbyrån AB
    date: 2026-05-04
  updated: 2026-05-11
  enforcement: https://www.digg.se/tdosanmalan`);
    const tree = html(page);
    const all = text(page);
    expect(all).toContain('Några äldre nummer har bilder utan textalternativ.');
    expect(all).toContain('PDF-bilagan i mars 2026 är inte tillgänglig.');
    expect(all).not.toContain('Vi har ännu inte granskat innehållet manuellt');
    expect(all).toContain(
      'Granskningsbyrån AB har granskat webbplatsen. Senaste bedömningen gjordes den 4 maj 2026.',
    );
    expect(all).toContain('Redogörelsen uppdaterades senast den 11 maj 2026.');
    expect(page).toContain('<time datetime="2026-05-11">');
    expect(headingProblems(tree)).toEqual([]);
  });

  it('says fully compliant only when configured so, and then lists no problems', () => {
    const page = text(statement('  status: full\n  assessment:\n    date: 2026-05-04'));
    expect(page).toContain('Webbplatsen är helt förenlig med lagen');
    expect(page).toContain('Vi känner inte till något innehåll på webbplatsen som inte är tillgängligt.');
    expect(page).toContain('Vi har gjort en självskattning (intern granskning) av webbplatsen.');
    expect(page).not.toContain('delvis förenlig');
  });

  it('is in English with `locale: en`', () => {
    const page = text(statement('  status: none\nlocale: en'));
    expect(page).toContain('The website is not compliant with the law');
    expect(page).toContain('This statement has not been dated.');
  });

  it.each([
    ['  status: full\n  issues: [PDF-bilagor]', 'accessibility.status'],
    ['  assessment:\n    method: external', 'accessibility.assessment.by'],
    ['  updated: 11 maj 2026', 'accessibility.updated'],
  ])('refuses a contradictory or malformed statement config: %j', (extra, key) => {
    expect(() => webConfig(extra)).toThrow(key);
  });
});
