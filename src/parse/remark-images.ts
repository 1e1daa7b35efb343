import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, extname, relative, resolve, sep } from 'node:path';
import { insideFolder } from '../read/inside.ts';
import { imageSize } from 'image-size';
import type { Root } from 'mdast';
import { visit } from './visit.ts';
import type { VFile } from 'vfile';
import type { ImageAsset } from '../model.ts';
import { report } from '../report/message.ts';

/** Options: the issue folder images resolve against, and the shared map of assets found so far. */
export interface ImagesOptions {
  dir: string;
  assets: Map<string, ImageAsset>;
}

/**
 * Resolves images written relative to the issue folder (`images/x.jpg`), checks they exist and
 * stay inside the folder (rule `image-file`), and records each as an asset with a content-hashed
 * output name and its intrinsic size. `node.url` is set to the asset's key (the relative href).
 */
export default function remarkImages(options: ImagesOptions) {
  return (tree: Root, file: VFile): void => {
    visit(tree, 'image', (node) => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(node.url) || node.url.startsWith('//')) return; // absolute URL
      const href = decodeURI(node.url.split(/[?#]/)[0] ?? '');
      const source = resolve(options.dir, href);
      const key = relative(options.dir, source).split(sep).join('/');
      if (!insideFolder(options.dir, source)) {
        report(file, `Unexpected image outside the issue folder: \`${node.url}\``, {
          ruleId: 'image-file',
          place: node.position,
          hint: 'Put the image in the issue’s images/ folder and link it as images/name.jpg.',
        });
        return;
      }
      node.url = key;
      if (options.assets.has(key)) return;
      const asset = readAsset(source, key);
      if (!asset) {
        report(file, `Unexpected missing image \`${href}\``, {
          ruleId: 'image-file',
          place: node.position,
          hint: `Check the file name; it should be at ${relative(process.cwd(), source)}.`,
        });
        return;
      }
      const { activeSvg, ...image } = asset;
      if (activeSvg) {
        report(file, `Unexpected script in SVG image \`${href}\``, {
          ruleId: 'image-file',
          place: node.position,
          hint: 'An SVG with <script>, event attributes (onload=…) or javascript: links would run on the archive’s site: export the image again as plain SVG, or as PNG.',
        });
        return;
      }
      options.assets.set(key, image);
    });
  };
}

// What makes an SVG run code when opened from the site: scripts, event handler attributes,
// javascript: links, embedded foreign HTML.
const ACTIVE_SVG = /<script\b|\son[a-z]+\s*=|javascript:|<foreignObject\b/i;

function readAsset(source: string, href: string): (ImageAsset & { activeSvg: boolean }) | undefined {
  let bytes: Buffer;
  try {
    if (!statSync(source).isFile()) return undefined;
    bytes = readFileSync(source);
  } catch {
    return undefined;
  }
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 10);
  const ext = extname(source).toLowerCase();
  const name = basename(source, extname(source));
  let width: number | undefined;
  let height: number | undefined;
  try {
    const size = imageSize(bytes);
    width = size.width;
    height = size.height;
  } catch {
    // Not an image format image-size knows: the check stage reports it; dimensions stay unset.
  }
  const activeSvg = ext === '.svg' && ACTIVE_SVG.test(bytes.toString('utf8'));
  return {
    source,
    href,
    output: `images/${name}.${hash}${ext}`,
    width,
    height,
    bytes: bytes.length,
    activeSvg,
  };
}
