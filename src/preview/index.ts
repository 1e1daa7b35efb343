/**
 * The preview stage: a local server showing every issue as email (600 and 375 px), web page and
 * text, with its messages and sizes, rebuilt and reloaded live as files are saved.
 */
export { startPreview, type PreviewOptions, type PreviewServer } from './server.ts';
export { createApp } from './routes.ts';
export type { IssueView, Update } from './view.ts';
export { Workspace } from './workspace.ts';
export type { Failure } from './failure.ts';
