/**
 * `promtool check metrics`, found rather than assumed: VNAI_PROMTOOL_BIN,
 * then `promtool` on PATH. Where it is absent, `assertValidExposition` still
 * runs the project's own strict parser and marks the test pending with the
 * reason (see ./skip-hooks.ts); with VNAI_REQUIRE_PROMTOOL=1 (CI) a missing
 * promtool is a failure instead, so CI never gets weaker.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseExposition, type Exposition } from './exposition.js';
import { skipCurrentTest } from './skip-hooks.js';

/** Whether `p` is a file this process may execute. */
export function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    if (dir !== '' && executable(p)) return p;
  }
  return undefined;
}

/** The promtool binary (VNAI_PROMTOOL_BIN, else PATH), or undefined when it is not installed. */
export function findPromtool(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env.VNAI_PROMTOOL_BIN;
  if (given !== undefined && given !== '') return executable(given) ? given : undefined;
  return findOnPath('promtool', env);
}

export const PROMTOOL = findPromtool();
export const PROMTOOL_REQUIRED = process.env.VNAI_REQUIRE_PROMTOOL === '1';
export const PROMTOOL_MISSING_REASON = 'promtool not found (apt-get install prometheus to run the promtool checks)';

/** Runs `promtool check metrics` on stdin; its exit code and output. */
export function runPromtool(text: string, bin: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (c: Buffer) => (output += c.toString()));
    p.stderr.on('data', (c: Buffer) => (output += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, output }));
    p.stdin.on('error', () => {}); // promtool may exit before reading everything
    p.stdin.end(text);
  });
}

/**
 * Asserts `text` is a valid exposition: the project's strict parser always,
 * then promtool (exit 0, no lint complaints) where it is installed. Returns
 * the parsed exposition for further checks.
 */
export async function assertValidExposition(text: string): Promise<Exposition> {
  const parsed = parseExposition(text);
  if (PROMTOOL === undefined) {
    if (PROMTOOL_REQUIRED) assert.fail(`VNAI_REQUIRE_PROMTOOL=1 but ${PROMTOOL_MISSING_REASON}`);
    skipCurrentTest('promtool', PROMTOOL_MISSING_REASON);
    return parsed;
  }
  const r = await runPromtool(text, PROMTOOL);
  assert.equal(r.code, 0, `promtool check metrics failed:\n${r.output.slice(0, 2000)}`);
  return parsed;
}
