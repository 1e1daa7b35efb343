import { visit } from 'unist-util-visit';
import { report } from '../../report/message.ts';
import { lines, type Rule } from '../rule.ts';

/**
 * `image-alt`: every image needs alt text (WCAG 1.1.1). Screen readers and email clients that
 * block images show the alt text instead; without it the reader gets the file name or nothing.
 */
export const imageAlt: Rule = {
  id: 'image-alt',
  description: 'images have alt text',
  severity: ['error'],
  examples: [
    {
      name: 'an image with alt text',
      files: { '01-bild.md': lines('# Bild', '', '![Omslaget till vägledningen](images/omslag.png)') },
    },
    {
      name: 'an image and an image reference without alt text',
      files: {
        '01-bild.md': lines(
          '# Bild',
          '',
          '![](images/omslag.png)',
          '',
          'Och här är en till: ![  ][omslag]',
          '',
          '[omslag]: https://natverket.example.org/nyhetsbrev/2024-03/images/omslag.png',
        ),
      },
      messages: [
        '01-bild.md:3:1 error Unexpected image without alt text, expected a description of the image',
        '01-bild.md:5:21 error Unexpected image without alt text, expected a description of the image',
      ],
    },
  ],
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
