import type { Root } from 'mdast';
import { visit } from './visit.ts';
import type { VFile } from 'vfile';
import { report } from '../report/message.ts';

/**
 * Warns about raw HTML in Markdown (rule `no-html`): it is left out of every output, because it
 * would bypass the email-safe rendering and the accessibility checks.
 */
export default function remarkNoHtml() {
  return (tree: Root, file: VFile): void => {
    visit(tree, 'html', (node) => {
      if (/^<!--[\s\S]*-->$/.test(node.value.trim())) return; // comments are fine and dropped
      report(file, 'Unexpected raw HTML, expected Markdown (raw HTML is left out of the output)', {
        ruleId: 'no-html',
        severity: 'warning',
        place: node.position,
        hint: 'Write it in Markdown: links as [text](url), emphasis as *text*, line breaks as a blank line.',
      });
    });
  };
}
