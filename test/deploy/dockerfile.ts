/** One Dockerfile instruction, continuation lines joined, in the stage it belongs to. */
export interface Instruction {
  op: string;
  args: string;
  /** Index of its stage: 0 for the first FROM. */
  stage: number;
  /** The stage's `AS` name, if any. */
  stageName: string | undefined;
}

/** Parses a Dockerfile into instructions (comments and blank lines dropped, `\` lines joined). */
export function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  const instructions: Instruction[] = [];
  let stage = -1;
  let stageName: string | undefined;
  for (const line of logical) {
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      stage++;
      stageName = /\sAS\s+(\S+)$/i.exec(` ${args}`)?.[1];
    }
    instructions.push({ op: op.toUpperCase(), args, stage, stageName });
  }
  return instructions;
}

/** The JSON (exec) form of CMD/ENTRYPOINT/VOLUME as an array; throws on the shell form. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string'))
    throw new Error(`not an exec-form array: ${args}`);
  return parsed;
}
