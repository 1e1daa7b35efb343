import { createHash } from 'node:crypto';
import type { Image, RootContent } from 'mdast';
import { visit } from 'unist-util-visit';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { fileSlug, sectionFileName } from '../scaffold/names.ts';
import { quote, type Messages } from './messages.ts';
import { issueFileText, sectionFileText, type ImportedFrontMatter } from './serialize.ts';
import type { PlannedSection } from './structure.ts';
import type { ImportedImage } from './types.ts';

/** Where new files of an issue folder start: what is there already (for `--into`). */
export interface FolderState {
  /** The number of the last section file, and how many digits numbers have. */
  lastNumber: number;
  width: number;
  /** Names already in `images/`. */
  imageNames: ReadonlySet<string>;
}

/**
 * Collects the files of one issue folder: `issue.md`, numbered section files after the folder's
 * last one, and images named after their source (unique, never a name already there; the same
 * bytes twice make one file).
 */
export class IssueBuilder {
  readonly files = new Map<string, Uint8Array>();
  readonly sections: string[] = [];
  #number: number;
  readonly #width: number;
  readonly #names: Set<string>;
  readonly #byHash = new Map<string, string>();

  constructor(state: FolderState) {
    this.#number = state.lastNumber;
    this.#width = state.width;
    this.#names = new Set([...state.imageNames].map((name) => name.toLowerCase()));
  }

  /** Adds `issue.md`. */
  setIssue(
    front: ImportedFrontMatter,
    intro: RootContent[],
    images: ImportedImage[],
    messages: Messages,
  ): void {
    this.files.set('issue.md', encode(issueFileText(front, this.#placeImages(intro, images, messages))));
  }

  /** Adds one section file per section, numbered on from the last one. */
  addSections(sections: PlannedSection[], images: ImportedImage[], messages: Messages): void {
    for (const section of sections) {
      if (String(++this.#number).length > this.#width) {
        // `100-x.md` would sort before `99-x.md`: numbers keep the folder's width.
        throw new UserError(E.ImportNumberTooWide, { number: this.#number, width: this.#width });
      }
      const name = sectionFileName(this.#number, section.title, this.#width);
      const blocks = this.#placeImages(section.blocks, images, messages);
      this.files.set(name, encode(sectionFileText(section.title, blocks)));
      this.sections.push(name);
    }
  }

  /** Points the images of `blocks` at their files in `images/`, and reports those without alt text. */
  #placeImages(blocks: RootContent[], images: ImportedImage[], messages: Messages): RootContent[] {
    const byToken = new Map(images.map((image) => [image.token, image]));
    visit({ type: 'root', children: blocks }, 'image', (node: Image) => {
      const image = byToken.get(node.url);
      if (!image) return;
      node.url = `images/${this.#imageName(image)}`;
      if (!node.alt?.trim()) {
        messages.add(
          `Image \`${node.url}\` has no alt text; imported without (\`check\` reports it as an error)`,
          {
            ruleId: 'image-alt',
            place: node.position,
            hint: 'Describe what the image shows between the brackets: ![Deltagare vid temamötet](images/x.jpg). Alt text is never made up by the import.',
          },
        );
      } else if (/automatiskt genererad beskrivning|description automatically generated/i.test(node.alt)) {
        messages.add(
          `Image \`${node.url}\` has alt text written by Word, not by a person: ${quote(node.alt)}`,
          {
            ruleId: 'image-alt',
            place: node.position,
            hint: 'Replace it with a description of what the image shows.',
          },
        );
      }
    });
    return blocks;
  }

  #imageName(image: ImportedImage): string {
    const hash = createHash('sha256').update(image.bytes).digest('hex');
    const known = this.#byHash.get(hash);
    if (known) return known;
    const dot = image.name.lastIndexOf('.');
    const stem = fileSlug(image.name.slice(0, dot), 'bild');
    const extension = image.name.slice(dot + 1).toLowerCase();
    let name = `${stem}.${extension}`;
    for (let n = 2; this.#names.has(name); n++) name = `${stem}-${n}.${extension}`;
    this.#names.add(name);
    this.#byHash.set(hash, name);
    this.files.set(`images/${name}`, image.bytes);
    return name;
  }
}

function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
