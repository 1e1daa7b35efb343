import type { Nodes as HastNodes } from 'hast';
import type { Nodes as MdastNodes } from 'mdast';

type Tree = HastNodes | MdastNodes;
type ParentOf<T> = Extract<T, { children: unknown[] }>;

/** Returned by a visitor: do not walk into the children of this node. */
export const SKIP = 'skip';

/** Nothing (go on), {@link SKIP}, or the index in the parent to go on at (after a change there). */
export type Action = typeof SKIP | number | undefined;

/** A visitor of {@link visit}: the node, its index in its parent, and the parent (none for the tree itself). */
export type Visitor<T, P> = (node: T, index: number | undefined, parent: P | undefined) => Action | void;

/**
 * Calls `visitor` for every node of `tree` (itself included) whose type is `type`, parents before
 * children: the walk of unist-util-visit's `visit(tree, type, visitor)` — the same order, a
 * returned index goes on at that index of the parent (after the node's own children), `SKIP`
 * skips them, and children are read as they are when reached, so changes made on the way are
 * walked. Without its cost: unist-util-visit makes two closures per node and names one of them,
 * which took a fifth of the CPU of compiling an issue.
 */
export function visit<K extends MdastNodes['type']>(
  tree: MdastNodes,
  type: K,
  visitor: Visitor<Extract<MdastNodes, { type: K }>, ParentOf<MdastNodes>>,
): void;
export function visit<K extends HastNodes['type']>(
  tree: HastNodes,
  type: K,
  visitor: Visitor<Extract<HastNodes, { type: K }>, ParentOf<HastNodes>>,
): void;
export function visit(tree: Tree, type: string, visitor: Visitor<never, never>): void {
  walk(tree, undefined, undefined);

  function walk(node: Tree, index: number | undefined, parent: ParentOf<Tree> | undefined): Action | void {
    const action = node.type === type ? visitor(node as never, index, parent as never) : undefined;
    if (action === SKIP || !('children' in node)) return action;
    let offset = 0;
    while (offset > -1 && offset < node.children.length) {
      const next = walk(node.children[offset]!, offset, node);
      offset = typeof next === 'number' ? next : offset + 1;
    }
    return action;
  }
}
