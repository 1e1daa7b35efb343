import type { Element, Root as HastRoot } from 'hast';
import { toMdast } from 'hast-util-to-mdast';
import type { BlockContent, DefinitionContent, FootnoteDefinition, FootnoteReference, Root } from 'mdast';
import { FOOTNOTE_DEF, FOOTNOTE_REF } from './footnotes.ts';

/**
 * Converts cleaned HTML to mdast (hast-util-to-mdast), with the footnote stand-ins of
 * `recogniseFootnotes` becoming footnote references and definitions. Positions are kept.
 */
export function htmlToMdast(tree: HastRoot): Root {
  const result = toMdast(tree, {
    handlers: {
      [FOOTNOTE_REF](state, node: Element) {
        const id = String(node.properties.dataId);
        const reference: FootnoteReference = { type: 'footnoteReference', identifier: id, label: id };
        state.patch(node, reference);
        return reference;
      },
      [FOOTNOTE_DEF](state, node: Element) {
        const id = String(node.properties.dataId);
        const children = state.toFlow(state.all(node)) as (BlockContent | DefinitionContent)[];
        const definition: FootnoteDefinition = {
          type: 'footnoteDefinition',
          identifier: id,
          label: id,
          children,
        };
        state.patch(node, definition);
        return definition;
      },
    },
  });
  return result.type === 'root' ? result : { type: 'root', children: [result] };
}
