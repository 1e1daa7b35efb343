import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../test/support/resend-stub-rules.ts';

/**
 * Writes a synthetic archive of `count` issues in the issue format: Swedish-like prose, ~9
 * sections each with sub-headings, footnotes, lists and a Kalendarium. Deterministic for a seed.
 */
export function writeCorpus(dir: string, count: number, { sections = 9, seed = 1 } = {}): string[] {
  const random = seededRandom(seed);
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const year = 2000 + Math.floor(index / 12);
    const month = (index % 12) + 1;
    const id = `${year}-${String(month).padStart(2, '0')}`;
    ids.push(id);
    const folder = join(dir, id);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'issue.md'), issueFile(id, random));
    for (let section = 1; section <= sections; section++) {
      const name = `${String(section).padStart(2, '0')}-${slug(pick(TOPICS, random))}.md`;
      writeFileSync(
        join(folder, name),
        section === sections ? calendar(id, random) : sectionFile(section, random),
      );
    }
  }
  return ids;
}

const WORDS =
  'nätverket myndigheter arbetsgrupp vägledning temamöte informationsförvaltning digitalisering arkiv upphandling samverkan förvaltning utveckling kommuner regioner medarbetare erfarenheter rapport förslag höst vår möte forum öppna data säkerhet tillgänglighet e-tjänster kompetens styrning uppföljning ansvar behov lösningar krav'.split(
    ' ',
  );
const SMALL = 'och att som för med på i till av om har det är en ett de vi ni'.split(' ');
const TOPICS = [
  'Temamöte om arkiv',
  'Nytt från arbetsgrupperna',
  'Vägledning för e-tjänster',
  'Öppna data',
  'Säker förvaltning',
  'Upphandling i samverkan',
  'Kompetens och lärande',
  'Tillgänglighet i praktiken',
];

function sentence(random: () => number): string {
  const length = 8 + Math.floor(random() * 12);
  const words = Array.from({ length }, (_, i) => (i % 3 === 1 ? pick(SMALL, random) : pick(WORDS, random)));
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: () => number, sentences = 4): string {
  return Array.from({ length: sentences }, () => sentence(random)).join(' ');
}

function issueFile(id: string, random: () => number): string {
  return `---\ntitle: ${sentence(random).slice(0, 60).replace(/[.:]/g, '')}\ndate: ${id}-20\neditor: Karin Lindqvist, kanslichef\nstatus: ready\n---\n${paragraph(random)}\n\n${paragraph(random, 3)}\n`;
}

function sectionFile(index: number, random: () => number): string {
  const title = `${pick(TOPICS, random)} ${index}`;
  return `# ${title}\n\n${paragraph(random)}[^1]\n\n## ${pick(TOPICS, random)}\n\n${paragraph(random, 3)}\n\n- ${sentence(random)}\n- ${sentence(random)}\n- Läs mer på [webbplatsen](https://www.example.org/${index})\n\n[^1]: ${sentence(random)}\n`;
}

function calendar(id: string, random: () => number): string {
  return `# Kalendarium\n\n${Array.from({ length: 4 }, (_, i) => `- ${10 + i} ${id}: ${pick(TOPICS, random)}`).join('\n')}\n`;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-zåäö0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
