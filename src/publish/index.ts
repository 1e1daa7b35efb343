import { realpathSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { VFile } from 'vfile';
import { buildSite, type BuildOptions, type BuildResult } from '../build/index.ts';
import type { Config } from '../config/schema.ts';
import { isUserError, UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { hasErrors } from '../report/message.ts';
import { compareSites, isUnchanged, type SiteChanges } from './changes.ts';
import { acquireLock, looksPublishable, publishPaths, recover, swapIn } from './swap.ts';

/** Where to publish from and to. */
export interface PublishOptions {
  issuesDir: string;
  /** The folder the web server serves. Replaced as a whole. */
  to: string;
  /** Replace a non-empty folder that does not hold an earlier publish. */
  force?: boolean;
  /** The build cache folder, or false for none; default as `buildSite`'s. */
  cache?: string | false;
}

/** The build step, replaceable so tests can make a build fail midway. */
export type BuildStep = (config: Config, options: BuildOptions) => Promise<BuildResult>;

/** The outcome of a publish. */
export interface PublishResult {
  /** Messages of the issues (also warnings when the publish went through). */
  files: VFile[];
  changes: SiteChanges;
  /** False when the new site was identical to the published one, so nothing was replaced. */
  replaced: boolean;
  /** What was repaired after an earlier interrupted publish. */
  recovered: string[];
}

/**
 * Builds the web archive of every published issue (never drafts) beside `to`, then swaps it in
 * (see `swapIn`). A failed build — content errors, a template or search index failure, a crash —
 * leaves `to` untouched. Content errors throw {@link ContentErrors} (`CheckFailed`, the messages on
 * its `files`); a user error of the build is rethrown saying the target is untouched; anything
 * else is a bug, wrapped with its cause.
 */
export async function publishSite(
  config: Config,
  options: PublishOptions,
  build: BuildStep = buildSite,
): Promise<PublishResult> {
  const paths = publishPaths(resolveTarget(options.to));
  if (!options.force && !looksPublishable(paths.target)) {
    throw new UserError(E.PublishTargetForeign, { to: options.to });
  }
  const release = await acquireLock(paths);
  try {
    const recovered = await recover(paths);
    const result = await buildStaging(build, config, options, paths.staging);
    if (hasErrors(result.files)) throw new ContentErrors(result.files, options.to);
    const site = join(paths.staging, 'web');
    const changes = compareSites(paths.target, site);
    const replaced = !isUnchanged(changes);
    if (replaced) await swapIn(site, paths);
    return { files: result.files, changes, replaced, recovered };
  } finally {
    await rm(paths.staging, { recursive: true, force: true });
    await release();
  }
}

/**
 * Builds the site into `staging`. A user error of the build is rethrown under its own name saying
 * the target is untouched; anything else is wrapped as a bug with its cause.
 */
async function buildStaging(
  build: BuildStep,
  config: Config,
  options: PublishOptions,
  staging: string,
): Promise<BuildResult> {
  try {
    return await build(config, {
      issuesDir: options.issuesDir,
      outDir: staging,
      ids: [],
      drafts: false,
      email: false,
      ...(options.cache !== undefined && { cache: options.cache }),
    });
  } catch (error) {
    if (!isUserError(error)) {
      const untouched = `Nothing was published; ${options.to} was left as it was.`;
      throw new Error(`Building the site failed. ${untouched}`, { cause: error });
    }
    // Under the build's own name: what failed is the build; this only adds the site's state.
    throw new UserError(
      { ...E.PublishBuildRefused, name: error.name },
      { error, to: options.to },
      { cause: error, place: error.place },
    );
  }
}

/** Content errors stopped the publish; `files` carry the messages to print. */
export class ContentErrors extends UserError<{ to: string }> {
  constructor(
    readonly files: VFile[],
    to: string,
  ) {
    super(E.PublishContentErrors, { to });
  }
}

// Publish into the folder a symlink points at, so the link itself stays in place.
function resolveTarget(to: string): string {
  try {
    return realpathSync(to);
  } catch {
    return resolve(to);
  }
}
