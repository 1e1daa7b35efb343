import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Point, Position } from 'unist';
import { insideFolder } from '../read/inside.ts';
import { IMAGE_MAX_BYTES, sniffFormat } from '../check/rules/image-file.ts';
import { quote, type Messages } from './messages.ts';
import type { ImportedImage } from './types.ts';

/** Extensions by sniffed format: the file name says what the bytes are. */
const EXTENSIONS = { png: 'png', jpeg: 'jpg', gif: 'gif', webp: 'webp', svg: 'svg' } as const;

/** Where an image stands and what it says, for its messages. */
export interface ImageUse {
  src: string;
  alt: string;
  place: Point | Position | undefined;
}

/**
 * Collects a document's images: each one found gets a token to stand in its Markdown until the
 * planner names the file in `images/`. Remote images are never downloaded (no network, and
 * nothing reader-facing may load third-party files): they are left out with a message that keeps
 * their address and alt text. So are images that cannot be read or are not images.
 */
export class ImageCollector {
  readonly images: ImportedImage[] = [];

  constructor(
    readonly baseDir: string,
    readonly messages: Messages,
  ) {}

  /** Reads the image at `use.src` (relative to the source file, or a `data:` URI); its token, or undefined. */
  async load(use: ImageUse): Promise<string | undefined> {
    const src = use.src.trim();
    if (src.startsWith('data:')) return this.add(dataBytes(src), 'bild', use);
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(src) || src.startsWith('/')) {
      this.#leftOut(
        use,
        `Image \`${src}\` is not a file beside the source and was not downloaded; left out`,
        'Save the page with its images ("Save page as…, complete"), or download the image, put it in the issue’s images/ folder and add it as ![alt text](images/name.jpg).',
      );
      return undefined;
    }
    const path = resolve(this.baseDir, safeDecode(src.replace(/[?#].*$/, '')));
    if (!insideFolder(this.baseDir, path)) {
      this.#leftOut(
        use,
        `Image \`${src}\` is outside the source's folder and was not read; left out`,
        'Only images in the source file’s folder or below it are imported: copy the image there and import again, or add it by hand.',
      );
      return undefined;
    }
    const bytes = await readFile(path).catch(() => undefined);
    if (!bytes) {
      this.#leftOut(
        use,
        `Image file \`${src}\` was not found beside the source; left out`,
        'Put the image file where the source refers to it and import again, or add it by hand.',
      );
      return undefined;
    }
    return this.add(bytes, basename(path).replace(/\.[^.]+$/, ''), use);
  }

  /** Adds image bytes (from a Word document, say) under a readable name; its token, or undefined. */
  add(bytes: Uint8Array | undefined, name: string, use: ImageUse): string | undefined {
    const format = bytes ? sniffFormat(bytes.subarray(0, 256)) : 'unknown';
    if (!bytes || format === 'unknown') {
      this.#leftOut(
        use,
        `Image ${use.src ? `\`${shorten(use.src)}\` ` : ''}is not in a format the web and email show (PNG, JPEG, GIF); left out`,
        'Save the image as PNG or JPEG, put it in the issue’s images/ folder and add it as ![alt text](images/name.png).',
      );
      return undefined;
    }
    if (bytes.length > IMAGE_MAX_BYTES) {
      this.messages.add(
        `Image ${quote(name)} is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; \`check\` wants at most 1 MB`,
        {
          ruleId: 'image',
          place: use.place,
          hint: 'Scale it down to at most 1200 pixels wide in the issue’s images/ folder.',
        },
      );
    }
    const token = `import-image-${this.images.length + 1}`;
    this.images.push({ token, name: `${name}.${EXTENSIONS[format]}`, bytes });
    return token;
  }

  #leftOut(use: ImageUse, reason: string, hint: string): void {
    const alt = use.alt.trim() ? ` (alt text ${quote(use.alt, 120)})` : ' (no alt text)';
    this.messages.add(`${reason}${alt}`, { ruleId: 'image', place: use.place, hint });
  }
}

function dataBytes(uri: string): Uint8Array | undefined {
  const comma = uri.indexOf(',');
  if (comma === -1) return undefined;
  const head = uri.slice(5, comma);
  const body = uri.slice(comma + 1);
  return head.endsWith(';base64') ? Buffer.from(body, 'base64') : Buffer.from(safeDecode(body));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function shorten(src: string): string {
  return src.startsWith('data:') ? `${src.slice(0, 30)}…` : src;
}
