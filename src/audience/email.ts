import { domainToASCII } from 'node:url';

/** A valid address: `email` as stored (local part's case kept, domain lowercased) and its `key`. */
export interface EmailAddress {
  email: string;
  /** Lowercase form: the case-insensitive identity used for uniqueness and suppression hashes. */
  key: string;
}

/** Either a valid address or the reason it is not one. */
export type EmailResult = ({ ok: true } & EmailAddress) | { ok: false; reason: string };

// RFC 5322 dot-atom characters. Quoted local parts ("a b"@x) and IP literals are refused: no
// forum member has one, and several providers refuse them anyway.
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Validates and normalises one address. The rule, on the trimmed text: exactly one `@`; a local
 * part of 1–64 ASCII dot-atom characters (no leading, trailing or double dot); a domain of at least
 * two labels (letters, digits, hyphens; Unicode domains are converted to their `xn--` form) ending
 * in a letters-only top-level domain; 254 characters at most in all. The domain is lowercased; the
 * local part keeps its case in `email` and is lowercased in `key`.
 */
export function parseEmail(input: string): EmailResult {
  const text = input.trim();
  if (text === '') return bad('the address is empty');
  if (/\s/.test(text)) return bad(`"${clip(text)}" contains a space`);
  if (/^mailto:/i.test(text)) return bad(`"${clip(text)}" starts with mailto:; write the bare address`);
  if (/[<>]/.test(text)) return bad(`"${clip(text)}" contains < or >; write the bare address`);
  const at = text.lastIndexOf('@');
  if (at === -1) return bad(`"${clip(text)}" has no @`);
  if (text.indexOf('@') !== at) return bad(`"${clip(text)}" has more than one @`);
  const local = text.slice(0, at);
  const rawDomain = text.slice(at + 1);
  if (local === '') return bad(`"${clip(text)}" has nothing before the @`);
  if (rawDomain === '') return bad(`"${clip(text)}" has no domain after the @`);
  if (local.length > 64) return bad(`"${clip(text)}" has a part before the @ longer than 64 characters`);
  if (local.split('.').some((atom) => !ATEXT.test(atom))) {
    return bad(`"${clip(text)}" has a character or dot that is not allowed before the @`);
  }
  const domain = domainToASCII(rawDomain.toLowerCase().replace(/\.$/, ''));
  const labels = domain.split('.');
  if (domain === '' || labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    return bad(`"${clip(text)}" has an invalid domain`);
  }
  if (!TLD.test(labels[labels.length - 1]!)) return bad(`"${clip(text)}" has an invalid top-level domain`);
  const email = `${local}@${domain}`;
  if (email.length > 254) return bad(`"${clip(text)}" is longer than 254 characters`);
  return { ok: true, email, key: email.toLowerCase() };
}

/** The lowercase identity of an address, or undefined when it is not a valid address. */
export function emailKey(input: string): string | undefined {
  const result = parseEmail(input);
  return result.ok ? result.key : undefined;
}

function bad(reason: string): EmailResult {
  return { ok: false, reason };
}

/** Keeps messages readable when a hostile file puts megabytes into one field. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
