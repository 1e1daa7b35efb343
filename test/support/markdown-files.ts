import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every Markdown file of the sample issues and the test fixtures: the repository's real content. */
export function repositoryMarkdown(): string[] {
  return ['issues', 'test/fixtures'].flatMap((dir) =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map((entry) => join(entry.parentPath, entry.name)),
  );
}
