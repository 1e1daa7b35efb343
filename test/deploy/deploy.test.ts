import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createProgram } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/config/load.ts';
import { execForm, parseDockerfile, type Instruction } from './dockerfile.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

const instructions = parseDockerfile(read('Dockerfile'));
const lastStage = Math.max(...instructions.map((i) => i.stage));
const final = instructions.filter((i) => i.stage === lastStage);
const one = (op: string): Instruction => {
  const found = final.filter((i) => i.op === op);
  expect(found, `exactly one ${op} in the final stage`).toHaveLength(1);
  return found[0]!;
};
const cmd = execForm(one('CMD').args);

describe('the Dockerfile', () => {
  it('builds in a stage of its own (npm ci with compilers) and ships only its result', () => {
    const build = instructions.filter((i) => i.stage < lastStage);
    expect(lastStage).toBeGreaterThanOrEqual(1);
    expect(build.some((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args))).toBe(true);
    expect(build.some((i) => i.op === 'RUN' && /npm prune --omit=dev/.test(i.args))).toBe(true);
    const stageName = instructions.find((i) => i.op === 'FROM' && i.stage === 0)!.stageName;
    expect(final.some((i) => i.op === 'COPY' && i.args.includes(`--from=${stageName}`))).toBe(true);
    // No compilers or package installs in the image that runs.
    expect(final.filter((i) => i.op === 'RUN' && /apt-get|g\+\+|npm (ci|install)/.test(i.args))).toEqual([]);
  });

  it('runs as a non-root user, set before the command and never switched back', () => {
    const user = one('USER');
    expect(user.args).not.toMatch(/^(root|0)(:|$)/);
    const index = (i: Instruction): number => final.indexOf(i);
    expect(index(user)).toBeLessThan(index(one('CMD')));
    expect(index(user)).toBeLessThan(index(one('ENTRYPOINT')));
  });

  it('keeps the database and outbox on a volume the service user owns', () => {
    expect(execForm(one('VOLUME').args)).toEqual(['/data']);
    const chown = final.find((i) => i.op === 'RUN' && /chown node:node \/data\b/.test(i.args));
    expect(chown, 'a RUN that gives /data to the user').toBeDefined();
    expect(final.indexOf(chown!)).toBeLessThan(final.indexOf(one('VOLUME')));
    expect(one('USER').args).toBe('node');
  });

  it('runs `serve` by default, with options the real CLI knows, and the CLI for any other command', () => {
    expect(execForm(one('ENTRYPOINT').args)).toEqual(['node', '/app/bin/nyhetsbrev.js']);
    expect(existsSync(join(ROOT, 'bin/nyhetsbrev.js'))).toBe(true);
    expect(cmd[0]).toBe('serve');
    const serve = createProgram().commands.find((command) => command.name() === 'serve')!;
    const known = serve.options.map((option) => option.long);
    for (const flag of cmd.filter((arg) => arg.startsWith('--'))) expect(known).toContain(flag);
    expect(cmd.join(' ')).toContain('--host 0.0.0.0');
  });

  it('checks /healthz on the port serve listens on and exposes', () => {
    const port = cmd[cmd.indexOf('--port') + 1];
    expect(one('EXPOSE').args).toBe(port);
    expect(one('HEALTHCHECK').args).toContain(`http://127.0.0.1:${port}/healthz`);
  });

  it('leaves personal data, secrets and local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const pattern of [
      '.git',
      '.env',
      'node_modules',
      'subscribers/*.db',
      'subscribers/*.db-*',
      'outbox',
    ])
      expect(ignored).toContain(pattern);
  });
});

describe('compose.yaml and the Caddyfile', () => {
  const compose = parseYaml(read('compose.yaml')) as {
    services: Record<string, { build?: string; volumes?: string[]; ports?: string[]; depends_on?: object }>;
  };
  const app = compose.services.nyhetsbrev!;

  it('runs the image with its data on a named volume and no port of its own', () => {
    expect(app.build).toBe('.');
    expect(app.volumes).toContain('data:/data');
    expect(app.ports).toBeUndefined();
    expect(compose.services.caddy!.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(compose.services.caddy!.depends_on).toEqual({ nyhetsbrev: { condition: 'service_healthy' } });
  });

  it('proxies the endpoint path of nyhetsbrev.yml to serve’s port', () => {
    const endpoint = new URL(loadConfig(join(ROOT, 'nyhetsbrev.yml'), { explicit: true }).endpoint!).pathname;
    const caddyfile = read('deploy/Caddyfile');
    const port = cmd[cmd.indexOf('--port') + 1]!;
    expect(caddyfile).toMatch(
      new RegExp(`handle ${endpoint}\\* \\{\\s+reverse_proxy nyhetsbrev:${port} \\{`),
    );
  });
});

/** The `Key=value` lines of a unit file's section. */
function unit(path: string, section: string): Record<string, string> {
  const text = read(path);
  const body = text.split(/^\[/m).find((part) => part.startsWith(`${section}]`)) ?? '';
  const entries = body
    .split('\n')
    .slice(1)
    .filter((line) => /^\w+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

describe('the systemd units', () => {
  const units = ['nyhetsbrev-serve.service', 'nyhetsbrev-send-due.service', 'nyhetsbrev-backup.service'];

  it.each(units)('%s runs the CLI as an unprivileged user with a read-only system', (name) => {
    const service = unit(`deploy/systemd/${name}`, 'Service');
    expect(service.User).toBe('nyhetsbrev');
    expect(service.ExecStart).toContain(
      '/srv/nyhetsbrev/bin/nyhetsbrev.js --config /srv/nyhetsbrev/nyhetsbrev.yml',
    );
    expect(service.ProtectSystem).toBe('strict');
    expect(service.ReadWritePaths).toContain('/srv/nyhetsbrev/subscribers');
  });

  it('runs serve on loopback behind the proxy, and the timers start their services', () => {
    expect(unit('deploy/systemd/nyhetsbrev-serve.service', 'Service').ExecStart).toMatch(
      / serve --host 127\.0\.0\.1 --port \d+ --trust-proxy$/,
    );
    expect(unit('deploy/systemd/nyhetsbrev-send-due.service', 'Service').ExecStart).toMatch(/ send --due$/);
    expect(unit('deploy/systemd/nyhetsbrev-backup.service', 'Service').ExecStart).toContain(
      ' backup "/var/backups/',
    );
    for (const timer of ['nyhetsbrev-send-due.timer', 'nyhetsbrev-backup.timer']) {
      expect(unit(`deploy/systemd/${timer}`, 'Timer').OnCalendar).toBeTruthy();
      expect(existsSync(join(ROOT, 'deploy/systemd', timer.replace('.timer', '.service')))).toBe(true);
    }
  });
});
