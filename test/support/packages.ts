import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The npm packages whose code a list of loaded modules (file URLs or paths) holds: a file under
 * node_modules/ names its package; a file of lib/ — where bin/compile.js bundles ES module
 * packages into chunks and bin/vendor.js bundles MJML — names those it holds, as lib/packages.json
 * and lib/vendor/packages.json record them.
 */
export function packagesOf(modules: string[]): string[] {
  const bundled = { ...manifest('lib/packages.json'), ...manifest('lib/vendor/packages.json') };
  const lib = join(ROOT, 'lib/');
  const names = modules.flatMap((module) => {
    const path = module.startsWith('file:') ? fileURLToPath(module) : module;
    const inPackage = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
    if (inPackage) return [inPackage];
    if (!path.startsWith(lib)) return [];
    // (The MJML thread of src/render/mjml-early.ts requires its MJML where the trace does not see.)
    return bundled[path.slice(lib.length)] ?? [];
  });
  return [...new Set(names)].sort();
}

function manifest(file: string): Record<string, string[]> {
  try {
    return JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, string[]>;
  } catch {
    return {};
  }
}
