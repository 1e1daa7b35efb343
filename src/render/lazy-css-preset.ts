import Module, { createRequire } from 'node:module';

/**
 * cssnano requires its default preset (with SVGO, browserslist and caniuse-lite) when it is
 * loaded, though MJML hands it the lite preset: ≈ 0.3 s of CPU in every process that renders an
 * email. This puts a stand-in for the default preset in Node's module cache that loads the real
 * one the first time it is called, so the preset costs only where it is used. Behaviour is the
 * same: cssnano only ever calls the preset (for its `'default'` alias).
 */
export function deferCssnanoDefaultPreset(): void {
  const fromCssnano = createRequire(createRequire(import.meta.url).resolve('cssnano'));
  const path = fromCssnano.resolve('cssnano-preset-default');
  const cache = fromCssnano.cache;
  if (cache[path]) return;
  const standIn = new Module(path);
  standIn.filename = path;
  standIn.loaded = true;
  standIn.exports = (...args: unknown[]): unknown => {
    if (cache[path] === standIn) delete cache[path];
    const preset = fromCssnano('cssnano-preset-default') as (...args: unknown[]) => unknown;
    return preset(...args);
  };
  cache[path] = standIn;
}
