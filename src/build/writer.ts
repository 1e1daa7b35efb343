import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Writes build outputs under one folder and records each path written (relative to the build root). */
export class Writer {
  /**
   * @param dir folder the paths are relative to
   * @param prefix prepended to each recorded path (`web/` when `dir` is `<out>/web`)
   * @param written the shared list of recorded paths
   */
  constructor(
    readonly dir: string,
    private readonly prefix = '',
    readonly written: string[] = [],
    // Folders made so far (shared with sub-writers): one mkdir per folder, not one per file.
    private readonly made = new Set<string>(),
  ) {}

  /** A writer for a sub-folder that records into the same list. */
  sub(name: string): Writer {
    return new Writer(join(this.dir, name), `${this.prefix}${name}/`, this.written, this.made);
  }

  /** Writes `content` to `path` (relative), creating folders. */
  async write(path: string, content: string | Uint8Array): Promise<void> {
    const full = join(this.dir, path);
    await this.folder(dirname(full));
    await writeFile(full, content);
    this.written.push(`${this.prefix}${path}`);
  }

  /** Copies the file `source` to `path` (relative), creating folders. */
  async copy(source: string, path: string): Promise<void> {
    const full = join(this.dir, path);
    await this.folder(dirname(full));
    await copyFile(source, full);
    this.written.push(`${this.prefix}${path}`);
  }

  private async folder(dir: string): Promise<void> {
    if (this.made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.made.add(dir);
  }
}
