import { closeSync, openSync, readSync } from 'node:fs';
import type { Image } from 'mdast';
import type { Position } from 'unist';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { ImageAsset } from '../../model.ts';
import { report } from '../../report/message.ts';
import { lines, type MarkdownBody, type Rule } from '../rule.ts';

/** Images over this size make the email slow on a phone connection. */
export const IMAGE_MAX_BYTES = 1024 * 1024;

/** Image formats by what email clients do with them. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'svg' | 'unknown';

/** Sniffs an image format from the first bytes of a file (the extension may lie). */
export function sniffFormat(head: Uint8Array): ImageFormat {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...head.subarray(8, 12)) === 'WEBP')
    return 'webp';
  const text = new TextDecoder().decode(head).trimStart();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) return 'svg';
  return 'unknown';
}

function readHead(path: string): Uint8Array {
  const head = new Uint8Array(256);
  const fd = openSync(path, 'r');
  try {
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * `image-file`: images exist (parse reports missing ones under this id), are at most 1 MB, are in
 * a format email clients show (PNG, JPEG, GIF), and are files of the issue rather than images
 * from another site (nothing reader-facing loads third-party assets).
 */
export const imageFile: Rule = {
  id: 'image-file',
  description: 'images exist and are local PNG/JPEG/GIF files of at most 1 MB',
  severity: ['error', 'warning'],
  examples: [
    {
      name: 'a PNG in images/',
      files: { '01-bild.md': lines('# Bild', '', '![Omslaget till vägledningen](images/omslag.png)') },
    },
    {
      name: 'a missing image, a text file named .png, and an image from another site',
      files: {
        'images/program.png': 'Programmet kommer senare.',
        '01-bild.md': lines(
          '# Bild',
          '',
          '![Karta över mötesplatsen](images/saknas.png)',
          '',
          '![Programmet](images/program.png)',
          '',
          '![Logotyp](https://cdn.example.com/logo.png)',
        ),
      },
      messages: [
        '01-bild.md:3:1 error Unexpected missing image `images/saknas.png`',
        '01-bild.md:5:1 error Unexpected file `images/program.png` in an unknown image format, expected PNG, JPEG or GIF',
        '01-bild.md:7:1 error Unexpected image from another site `https://cdn.example.com/logo.png`, expected a file in the issue’s images/ folder',
      ],
    },
  ],
  check({ issue, bodies, config }) {
    const ownOrigin = new URL(config.baseUrl).origin;
    const uses = imageUses(bodies);
    for (const asset of issue.images) {
      const use = uses.get(asset.href);
      if (!use) continue;
      checkAsset(asset, use.file, use.position);
    }
    for (const { file, tree } of bodies) {
      visit(tree, 'image', (node: Image) => {
        if (!/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(node.url)) return;
        let origin: string | undefined;
        try {
          origin = new URL(node.url, config.baseUrl).origin;
        } catch {
          origin = undefined;
        }
        if (origin === ownOrigin) return;
        report(
          file,
          `Unexpected image from another site \`${node.url}\`, expected a file in the issue’s images/ folder`,
          {
            ruleId: 'image-file',
            place: node.position,
            hint: 'Download the image (if you may use it), save it in images/ and link it as images/namn.jpg: readers’ email should not load anything from third parties.',
          },
        );
      });
    }
  },
};

function checkAsset(asset: ImageAsset, file: VFile, position: Position | undefined): void {
  if (asset.bytes > IMAGE_MAX_BYTES) {
    report(
      file,
      `Unexpected image \`${asset.href}\` of ${(asset.bytes / 1024 / 1024).toFixed(1)} MB, expected at most 1 MB`,
      {
        ruleId: 'image-file',
        severity: 'warning',
        place: position,
        hint: 'Scale it down to at most 1200 pixels wide and save it as JPEG (photos) or PNG (diagrams).',
      },
    );
  }
  let format: ImageFormat;
  try {
    format = sniffFormat(readHead(asset.source));
  } catch {
    return; // unreadable since parse: parse's own image-file message covers a missing file
  }
  if (format === 'png' || format === 'jpeg' || format === 'gif') return;
  const known = format !== 'unknown';
  report(
    file,
    known
      ? `Unexpected ${format.toUpperCase()} image \`${asset.href}\`, expected PNG, JPEG or GIF (Outlook and Gmail do not show ${format.toUpperCase()} everywhere)`
      : `Unexpected file \`${asset.href}\` in an unknown image format, expected PNG, JPEG or GIF`,
    {
      ruleId: 'image-file',
      severity: known ? 'warning' : 'error',
      place: position,
      hint: 'Save the image as PNG (diagrams, screenshots) or JPEG (photos).',
    },
  );
}

/** The first place each local image is used: where its messages point. */
function imageUses(bodies: MarkdownBody[]): Map<string, { file: VFile; position: Position | undefined }> {
  const uses = new Map<string, { file: VFile; position: Position | undefined }>();
  for (const { file, tree } of bodies) {
    visit(tree, 'image', (node: Image) => {
      if (!uses.has(node.url)) uses.set(node.url, { file, position: node.position });
    });
  }
  return uses;
}
