import type { ArchiveContext } from '../assemble/index.ts';
import type { Config } from '../config/schema.ts';
import { renderIssueWeb, type CompiledArchive } from '../pipeline.ts';
import { outputDigest } from './digests.ts';
import type { IssuePage, SiteMemo } from './web.ts';

/**
 * The pages of `ids`, each rendered by `renderIssueWeb` — or, with a memo, the file an earlier
 * build into the same folder wrote from the same inputs, when it still holds it (see
 * `src/cache/outputs.ts`) — when the build writes it, so no build holds every page at once.
 */
export function issuePages(
  archive: CompiledArchive,
  context: ArchiveContext,
  ids: readonly string[],
  config: Config,
  memo: SiteMemo | undefined,
): IssuePage[] {
  const byId = new Map(archive.issues.map((issue) => [issue.id, issue]));
  return ids.map((id): IssuePage => {
    const issue = byId.get(id)!;
    const key = archive.keys.get(id);
    const digest = memo && key ? outputDigest(memo.summaries, key) : undefined;
    const html = () =>
      (digest ? memo?.outputs.kept(`${id}/index.html`, digest) : undefined) ??
      renderIssueWeb(issue, context, config);
    return { issue, html, digest };
  });
}
