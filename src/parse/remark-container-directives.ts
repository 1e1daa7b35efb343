import { directiveFromMarkdown } from 'mdast-util-directive';
import { directive } from 'micromark-extension-directive';
import type { Processor } from 'unified';

const COLON = 58;

/**
 * Parses container directives (`:::name[label]` … `:::`, the fact box syntax) and nothing else of
 * the directive syntax. Text directives would read Swedish genitives such as "EU:s" or "SKR:s" as
 * a directive named `s` and drop them, and leaf directives (`::name`) are not used.
 */
export default function remarkContainerDirectives(this: Processor): void {
  const data = this.data();
  const constructs = [directive().flow?.[COLON] ?? []].flat();
  // The container construct is the concrete one (like a code fence, lazy lines cannot end it).
  const container = constructs.filter((construct) => construct.concrete === true);
  (data.micromarkExtensions ??= []).push({ flow: { [COLON]: container } });
  (data.fromMarkdownExtensions ??= []).push(directiveFromMarkdown());
}
