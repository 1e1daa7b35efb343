import { issueUrl } from '../../assemble/index.ts';
import { visit } from 'unist-util-visit';
import { report, type Severity } from '../../report/message.ts';
import { lines, type Rule } from '../rule.ts';

/** What is wrong with a link URL, if anything. */
export interface UrlProblem {
  severity: Severity;
  reason: string;
  hint: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Classifies a link URL as written: absolute `https:`, `mailto:`, `tel:` and `#anchor` links are
 * fine; a relative link warns (the email resolves it against the issue's page URL); an empty
 * link and a bare `#` (placeholders) are errors.
 */
export function urlProblem(url: string, base?: string): UrlProblem | undefined {
  if (url.trim() === '')
    return { severity: 'error', reason: 'Unexpected empty link URL, expected an address', hint: ABSOLUTE };
  if (/\s/.test(url)) {
    return {
      severity: 'error',
      reason: `Unexpected space in link URL \`${url}\`, expected an address without spaces`,
      hint: 'Replace spaces with %20, or check that the address was copied whole.',
    };
  }
  if (url.trim() === '#') {
    return {
      severity: 'error',
      reason: 'Unexpected link to `#`, expected an address',
      hint: 'Write the address the link goes to; `[text](#)` is a placeholder, and a link to `#` goes nowhere.',
    };
  }
  if (url.startsWith('#')) return undefined;
  if (url.startsWith('//'))
    return {
      severity: 'error',
      reason: `Unexpected protocol-relative URL \`${url}\`, expected https://`,
      hint: ABSOLUTE,
    };
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return schemelessUrlProblem(url, base);
  if (scheme === 'http' || scheme === 'https') return webUrlProblem(url, scheme);
  return otherUrlProblem(url, scheme);
}

const ABSOLUTE = 'Write the full address, starting with https://.';

/** A link without a scheme: a host missing its https:// (an error) or a relative link (a warning). */
function schemelessUrlProblem(url: string, base: string | undefined): UrlProblem {
  const looksLikeHost = /^(www\.|[\p{L}\d-]+\.[\p{L}]{2,}(\/|$))/u.test(url);
  if (looksLikeHost)
    return {
      severity: 'error',
      reason: `Unexpected URL without https:// \`${url}\`, expected \`https://${url}\``,
      hint: ABSOLUTE,
    };
  // The email resolves relative links against the issue's page URL, so they work in both
  // outputs — but only pages the archive publishes exist there, so say where it points.
  const resolved = base === undefined ? undefined : resolve(url, base);
  return {
    severity: 'warning',
    reason: `Unexpected relative link \`${url}\`, expected an absolute URL (it points at ${resolved ?? 'an unknown address'})`,
    hint: resolved ? `Check that ${resolved} exists on the site, or write the full address.` : ABSOLUTE,
  };
}

/** A `mailto:` or `tel:` link that is malformed, or a scheme no email link should have. */
function otherUrlProblem(url: string, scheme: string): UrlProblem | undefined {
  if (scheme === 'mailto') {
    return /^mailto:[^@\s]+@[^@\s]+\.[^@\s]+/i.test(url)
      ? undefined
      : {
          severity: 'error',
          reason: `Unexpected malformed email link \`${url}\`, expected mailto:namn@example.org`,
          hint: 'Check the email address after mailto:.',
        };
  }
  if (scheme === 'tel') {
    return /^tel:\+?[\d-]{3,}$/.test(url)
      ? undefined
      : {
          severity: 'error',
          reason: `Unexpected malformed phone link \`${url}\`, expected tel: and digits, such as tel:+4687000000`,
          hint: 'Write the number in international form without spaces.',
        };
  }
  return {
    severity: 'error',
    reason: `Unexpected link scheme \`${scheme}:\`, expected https:, mailto: or tel:`,
    hint: 'Check the spelling of the address (a typo such as `htps:` shows up like this).',
  };
}

function resolve(url: string, base: string): string | undefined {
  try {
    return new URL(url, base).href;
  } catch {
    return undefined;
  }
}

function webUrlProblem(url: string, scheme: string): UrlProblem | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {
      severity: 'error',
      reason: `Unexpected malformed URL \`${url}\``,
      hint: 'Check the address: it should look like https://www.example.org/sida.',
    };
  }
  // A host without a dot (`https://www`, `https://intranet`) cannot be reached by subscribers.
  if (!parsed.hostname.includes('.')) {
    return {
      severity: 'error',
      reason: `Unexpected URL host \`${parsed.hostname}\` in \`${url}\`, expected a public domain name`,
      hint: 'Check the address: it should look like https://www.example.org/sida.',
    };
  }
  if (scheme === 'http') {
    return {
      severity: 'warning',
      reason: `Unexpected insecure link \`${url}\`, expected https:`,
      hint: 'Use https:// if the site supports it (most do); browsers warn about plain http.',
    };
  }
  return undefined;
}

/** `link-url`: link addresses are absolute and well-formed; `http:` warns. */
export const linkUrl: Rule = {
  id: 'link-url',
  description:
    'link URLs are absolute and well-formed; an empty link or one to `#` fails; http: and relative links warn',
  severity: ['error', 'warning'],
  examples: [
    {
      name: 'https, mailto, tel and anchor links',
      files: {
        '01-adresser.md': lines(
          '# Adresser',
          '',
          '- [Webbplatsen](https://natverket.example.org/)',
          '- [Mejla kansliet](mailto:kansliet@natverket.example.org)',
          '- [Ring kansliet](tel:+4687000000)',
          '- [Till adresserna](#adresser)',
        ),
      },
    },
    {
      name: 'links without https://, with a typo, relative or insecure',
      files: {
        '01-adresser.md': lines(
          '# Adresser',
          '',
          '- [Webbplatsen](www.natverket.example.org)',
          '- [Gamla sidan](http://natverket.example.org/gammal)',
          '- [Förra numret](../2024-02/)',
          '- [Felstavad](htps://natverket.example.org)',
          '- [Mejla](mailto:kansliet)',
        ),
      },
      messages: [
        '01-adresser.md:3:3 error Unexpected URL without https:// `www.natverket.example.org`, expected `https://www.natverket.example.org`',
        '01-adresser.md:4:3 warning Unexpected insecure link `http://natverket.example.org/gammal`, expected https:',
        '01-adresser.md:5:3 warning Unexpected relative link `../2024-02/`, expected an absolute URL (it points at https://natverket.example.org/nyhetsbrev/2024-02/)',
        '01-adresser.md:6:3 error Unexpected link scheme `htps:`, expected https:, mailto: or tel:',
        '01-adresser.md:7:3 error Unexpected malformed email link `mailto:kansliet`, expected mailto:namn@example.org',
      ],
    },
  ],
  check({ bodies, issue, config }) {
    const base = issueUrl(issue.id, config);
    for (const { file, tree } of bodies) {
      visit(tree, ['link', 'definition'], (node) => {
        if (node.type !== 'link' && node.type !== 'definition') return;
        const problem = urlProblem(node.url, base);
        if (!problem) return;
        report(file, problem.reason, {
          ruleId: 'link-url',
          severity: problem.severity,
          place: node.position,
          hint: problem.hint,
        });
      });
    }
  },
};
