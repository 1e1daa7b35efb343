import type { Config } from '../config/schema.ts';

/**
 * RFC 8058 one-click unsubscribe (both headers; the URL must be HTTPS and work with a POST) and
 * RFC 2919 `List-Id`, which lets mail clients and filters recognise the newsletter.
 */
export function listHeaders(
  config: Pick<Config, 'newsletter' | 'listId' | 'baseUrl'>,
  url: string,
): Record<string, string> {
  return {
    'List-Id': listIdHeader(config),
    'List-Unsubscribe': `<${url}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

const listIds = new WeakMap<object, string>();

/** `List-Id` of a config, worked out once per config object (it is the same for every email). */
function listIdHeader(config: Pick<Config, 'newsletter' | 'listId' | 'baseUrl'>): string {
  let value = listIds.get(config);
  if (value === undefined) {
    value = `${encodePhrase(config.newsletter)} <${listIdOf(config)}>`;
    listIds.set(config, value);
  }
  return value;
}

/**
 * The `List-Id` identifier: `listId` from the config, else derived from `baseUrl` — the path's
 * segments, last first, then the host (`https://natverket.example.org/nyhetsbrev/` →
 * `nyhetsbrev.natverket.example.org`), so two newsletters on one host get different ids.
 */
export function listIdOf(config: Pick<Config, 'listId' | 'baseUrl'>): string {
  if (config.listId) return config.listId;
  const url = new URL(config.baseUrl);
  const segments = url.pathname
    .split('/')
    .map((s) =>
      s
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .replace(/^-+|-+$/g, ''),
    )
    .filter(Boolean)
    .reverse();
  return [...segments, url.hostname].join('.');
}

/**
 * The list's name as an RFC 2047 phrase. Left to the MIME writer, a non-ASCII `List-Id` is encoded
 * whole, `<id>` included, and clients no longer find the id; so the name is encoded here, in
 * encoded-words of at most 75 characters, and the id stays plain.
 */
export function encodePhrase(name: string): string {
  if (/^[A-Za-z0-9 !#$%&'*+\-/=?^_`{|}~]*$/.test(name)) return name;
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/["\\]/g, '\\$&')}"`;
  const words: string[] = [];
  let word = '';
  for (const char of name) {
    const encoded = [...Buffer.from(char, 'utf8')]
      .map((byte) => {
        const c = String.fromCharCode(byte);
        if (c === ' ') return '_';
        return /[A-Za-z0-9!*+\-/]/.test(c) ? c : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      })
      .join('');
    if (word.length + encoded.length > 63) {
      words.push(word);
      word = '';
    }
    word += encoded;
  }
  words.push(word);
  return words.map((w) => `=?UTF-8?Q?${w}?=`).join(' ');
}
