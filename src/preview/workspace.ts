import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { VFile } from 'vfile';
import { issueIdOf, issueIds } from '../check/index.ts';
import type { Config } from '../config/schema.ts';
import type { ParsedIssue } from '../model.ts';
import { parseIssue } from '../parse/index.ts';
import { loadArchive, type Archive } from '../pipeline.ts';
import { readIssue } from '../read/index.ts';
import { TEMPLATES_DIR } from '../render/templates.ts';
import { inside, issueDir, issueIdOfPath, teaserKey, withIssue } from './archive.ts';
import { toFailure, type Failure } from './failure.ts';
import { Serial } from './serial.ts';
import { checkView, type IssueView, type Update } from './view.ts';

/** Options of {@link Workspace.open}. */
export interface WorkspaceOptions {
  issuesDir: string;
  config: Config;
  /** Re-reads the config after it changed on disk; throws a UserError when it is invalid. */
  reloadConfig?: (() => Config) | undefined;
  templatesDir?: string | undefined;
}

/**
 * The preview's model of the archive: issues are parsed once, then re-read and rebuilt one at a
 * time as their files change, always through `checkIssue` (so the preview shows what `check`,
 * `build` and `send` see). Never throws for content; rebuilds run one after another.
 */
export class Workspace extends EventEmitter<{ update: [Update] }> {
  readonly root: string;
  readonly templatesDir: string;
  config: Config;
  /** Set while the config file on disk is invalid (the previous config stays in use). */
  configFailure: Failure | undefined;
  private archive: Archive;
  private readonly reloadConfig: (() => Config) | undefined;
  private readonly views = new Map<string, IssueView>();
  private readonly viewers = new Map<string, number>();
  /** Rebuilds and re-lists run one after another; an issue waits in it at most once. */
  private readonly serial = new Serial<string, IssueView>();
  private version = 0;

  private constructor(archive: Archive, options: WorkspaceOptions) {
    super();
    this.setMaxListeners(0); // one listener per open page
    this.root = archive.dir;
    this.archive = archive;
    this.config = options.config;
    this.reloadConfig = options.reloadConfig;
    this.templatesDir = resolve(options.templatesDir ?? TEMPLATES_DIR);
  }

  /** Reads and parses the archive. Throws `IssuesFolderUnreadable` when the folder cannot be read. */
  static async open(options: WorkspaceOptions): Promise<Workspace> {
    const archive = await loadArchive(resolve(options.issuesDir), options.config);
    return new Workspace(archive, options);
  }

  /** Every issue id, drafts and unreadable ones included, oldest first. */
  ids(): string[] {
    return issueIds(this.archive);
  }

  /** The parsed issue (front matter and sections), undefined when `issue.md` is unusable. */
  parsed(id: string): ParsedIssue | undefined {
    return this.archive.issues.find((issue) => issue.id === id);
  }

  /** The view as it is now, without building. */
  peek(id: string): IssueView | undefined {
    return this.views.get(id);
  }

  /** The view of an issue, built or rebuilt first when needed; undefined for an unknown id. */
  async view(id: string): Promise<IssueView | undefined> {
    if (!this.ids().includes(id)) return undefined;
    const current = this.views.get(id);
    return current && !current.stale ? current : this.refresh(id);
  }

  /** Registers an open page of `id` (its stale views are rebuilt eagerly); returns the release. */
  watch(id: string): () => void {
    this.viewers.set(id, (this.viewers.get(id) ?? 0) + 1);
    return () => this.viewers.set(id, (this.viewers.get(id) ?? 1) - 1);
  }

  /** Builds every issue not built yet, newest first, announcing each (for the start page counts). */
  async warm(): Promise<void> {
    for (const id of this.ids().reverse()) {
      if (this.views.has(id)) continue;
      await this.view(id);
      this.notify([id]);
    }
  }

  /**
   * Reacts to changed paths (from the file watcher): a file of an issue rebuilds that issue; a
   * template, the config or a file of the theme folder re-reads the config and rebuilds every open
   * issue; added or removed issue folders re-read the list. Open pages are notified as soon as the
   * changed issue is rebuilt.
   */
  async changed(paths: readonly string[]): Promise<void> {
    const ids = new Set<string>();
    let everything = false;
    let relist = false;
    for (const path of paths.map((each) => resolve(each))) {
      const theme = this.themeDir();
      if ((this.config.file && path === this.config.file) || (theme && inside(path, theme))) {
        // The config, or a file of its theme folder (theme.yml, a partial, a logo): the theme is
        // part of the config, so both re-read it.
        if (!this.applyConfig()) return this.notify('*');
        everything = relist = true;
      } else if (inside(path, this.templatesDir)) {
        everything = true;
      } else if (inside(path, this.root)) {
        const id = issueIdOfPath(this.root, path);
        if (id === undefined) continue;
        if (!this.ids().includes(id) || !existsSync(issueDir(this.root, id))) relist = true;
        else ids.add(id);
      }
    }
    if (relist) await this.serial.run(() => this.relist());
    if (everything || relist) {
      for (const view of this.views.values()) view.stale = true;
      this.notify('*');
      await this.refreshWatched();
      return;
    }
    for (const id of ids) {
      await this.refresh(id);
      this.notify([id]);
    }
    await this.refreshWatched();
  }

  /** The configured theme folder; undefined for the default theme (under the templates). */
  themeDir(): string | undefined {
    return this.config.theme.file === undefined ? undefined : dirname(this.config.theme.file);
  }

  /** A file's path for messages: relative to the working folder, or to the archive's parent. */
  displayRoot(): string {
    const cwd = process.cwd();
    return relative(cwd, this.root).startsWith('..') ? dirname(this.root) : cwd;
  }

  /** Files whose messages belong to an issue page (the issue's files, plus templates). */
  filesOf(id: string): VFile[] {
    return this.views.get(id)?.result?.files ?? this.archive.files.filter((file) => issueIdOf(file) === id);
  }

  private refresh(id: string): Promise<IssueView> {
    return this.serial.once(id, () => this.rebuild(id));
  }

  private async rebuild(id: string): Promise<IssueView> {
    const raw = await readIssue(issueDir(this.root, id));
    const parsed = parseIssue(raw, this.config);
    const before = this.parsed(id);
    this.archive = withIssue(this.archive, id, parsed);
    const checked = await checkView(this.archive, id, this.config);
    const view: IssueView = {
      id,
      version: ++this.version,
      ...checked,
      shown: checked.shown ?? this.views.get(id)?.shown,
      stale: false,
    };
    this.views.set(id, view);
    // Other issues show this one in their teasers and previous/next links.
    if (teaserKey(before) !== teaserKey(parsed.issue)) {
      for (const other of this.views.values()) if (other.id !== id) other.stale = true;
    }
    return view;
  }

  private async refreshWatched(): Promise<void> {
    for (const [id, count] of this.viewers) {
      if (count <= 0 || !this.views.get(id)?.stale || !this.ids().includes(id)) continue;
      await this.refresh(id);
      this.notify([id]);
    }
  }

  private async relist(): Promise<void> {
    try {
      this.archive = await loadArchive(this.root, this.config);
    } catch (error) {
      this.configFailure = toFailure(error);
      return;
    }
    for (const id of [...this.views.keys()]) if (!this.ids().includes(id)) this.views.delete(id);
  }

  private applyConfig(): boolean {
    if (!this.reloadConfig) return true;
    try {
      this.config = this.reloadConfig();
      this.configFailure = undefined;
      return true;
    } catch (error) {
      this.configFailure = toFailure(error);
      return false;
    }
  }

  private notify(ids: string[] | '*'): void {
    this.emit('update', { ids, version: this.version });
  }
}
