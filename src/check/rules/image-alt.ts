import { visit } from 'unist-util-visit';
import { report } from '../../report/message.ts';
import type { Rule } from '../rule.ts';

/**
 * `image-alt`: every image needs alt text (WCAG 1.1.1). Screen readers and email clients that
 * block images show the alt text instead; without it the reader gets the file name or nothing.
 */
export const imageAlt: Rule = {
  id: 'image-alt',
  description: 'images have alt text',
  check({ bodies }) {
    for (const { file, tree } of bodies) {
      visit(tree, ['image', 'imageReference'], (node) => {
        if (node.type !== 'image' && node.type !== 'imageReference') return;
        if ((node.alt ?? '').trim() !== '') return;
        report(file, 'Unexpected image without alt text, expected a description of the image', {
          ruleId: 'image-alt',
          place: node.position,
          hint: 'Describe what the image shows between the brackets: ![Stapeldiagram över antalet deltagare](images/x.png).',
        });
      });
    }
  },
};
