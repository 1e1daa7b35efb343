import type { Heading, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import { report } from '../report/message.ts';

/** Options: the title from front matter, which wins over a `#` heading. */
export interface SectionTitleOptions {
  title: string | undefined;
}

/**
 * Takes the section title from front matter or from the first `#` heading (which is removed from
 * the body, since the renderers print the title themselves). Stores it in `file.data.title`;
 * a section with neither gets an error (rule `section-title`).
 */
export default function remarkSectionTitle(options: SectionTitleOptions) {
  return (tree: Root, file: VFile): void => {
    if (options.title) {
      file.data.title = options.title;
      return;
    }
    const index = tree.children.findIndex((node) => node.type === 'heading' && node.depth === 1);
    const heading = tree.children[index] as Heading | undefined;
    const text = heading ? toString(heading).trim() : '';
    if (heading && text) {
      file.data.title = text;
      tree.children.splice(index, 1);
      return;
    }
    report(
      file,
      'Unexpected section without a title, expected a `# Title` heading or `title:` in front matter',
      {
        ruleId: 'section-title',
        place: heading?.position ?? { line: 1, column: 1 },
        hint: 'Start the section with a line like `# Temamöte om arkivfrågor`.',
      },
    );
  };
}

declare module 'vfile' {
  interface DataMap {
    /** The section title found by remark-section-title. */
    title: string;
  }
}
