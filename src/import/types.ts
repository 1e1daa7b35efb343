import type { Root } from 'mdast';

/** How bad an import message is: `warning` needs a look; `info` says what was left out as expected. */
export type ImportSeverity = 'error' | 'warning' | 'info';

/**
 * Where in the source a message points: a line and column (HTML, Markdown) or a paragraph number
 * (Word, counted from the top of the document body, tables and text boxes included).
 */
export type SourcePlace = { line: number; column: number } | { paragraph: number };

/** One thing the import could not map, left out, or wants confirmed. Plain data. */
export interface ImportMessage {
  /** The source file, as given on the command line. */
  file: string;
  place: SourcePlace | undefined;
  severity: ImportSeverity;
  reason: string;
  /** Permanent id of the kind of message (README lists them), such as `comment` or `image`. */
  ruleId: string;
  hint?: string | undefined;
}

/** An image found in a source, to be written into the issue's `images/` folder. */
export interface ImportedImage {
  /** The name the document's Markdown refers to before the final name is chosen (a token). */
  token: string;
  /** A readable name to start from, e.g. `temamote.jpg`. */
  name: string;
  bytes: Uint8Array;
}

/** Metadata a source states about itself; every field is optional and never guessed. */
export interface SourceMeta {
  /** A title stated as such (front matter, a Word "Title" paragraph), with where it came from. */
  title?: { text: string; from: string } | undefined;
  /** A weaker title (the page's `<title>`, the Word document's properties), used with a warning. */
  fallbackTitle?: { text: string; from: string } | undefined;
  /** A publication date `YYYY-MM-DD` stated as such (front matter, `article:published_time`). */
  date?: { value: string; from: string } | undefined;
  /** A file date (Word's created date): used only when nothing better is found, with a warning. */
  fileDate?: { value: string; from: string } | undefined;
  /** Front matter values to keep (Markdown sources). */
  editor?: string | undefined;
  subject?: string | undefined;
  preheader?: string | undefined;
  /** Texts that may hold a month label ("Nyhetsbrev mars 2023"), in the order to try them. */
  labels: { text: string; from: string }[];
}

/**
 * A source converted to Markdown's tree: what every reader (Word, HTML, Markdown) returns.
 * Positions in `tree` are source places: line/column, or, for Word, the paragraph number as line.
 */
export interface ImportedDocument {
  /** The source file as given. */
  file: string;
  kind: 'docx' | 'html' | 'markdown';
  tree: Root;
  meta: SourceMeta;
  images: ImportedImage[];
  messages: ImportMessage[];
}

/** What to import and where. */
export interface ImportOptions {
  /** Source files: `.docx`, `.html`/`.htm`, `.md`. */
  files: string[];
  issuesDir: string;
  /** Add the sources' sections to this existing issue. */
  into?: string | undefined;
  /** Make one issue with this id of all the sources (the first gives title, date and editorial). */
  asIssue?: string | undefined;
}

/** One issue folder the import will create or add to. */
export interface PlannedIssue {
  id: string;
  /** Absolute path of the issue folder. */
  dir: string;
  /** `new`: the folder is created whole; `into`: files are added to it, none overwritten. */
  mode: 'new' | 'into';
  /** Relative path in the folder → bytes, in the order they are written. */
  files: Map<string, Uint8Array>;
  /** The section files among `files`. */
  sections: string[];
  sources: string[];
}

/** The whole import, planned and not yet written. */
export interface ImportPlan {
  issues: PlannedIssue[];
  messages: ImportMessage[];
}
