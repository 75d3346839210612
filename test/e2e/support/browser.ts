/**
 * Headless Chromium for the browser tests, driven by playwright-core: the
 * system's Chromium (Debian's `chromium` package, or VNAI_CHROMIUM), never a
 * downloaded browser. The flags keep it off the network except for the pages
 * the test opens (no sync, no component updates, no background requests, no
 * QUIC), and playwright gives it a fresh profile each launch.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { executable, findOnPath } from '../../support/promtool.js';
import { REPO } from './stack.js';

/** Where screenshots go (git-ignored). */
export const ARTIFACTS_DIR = join(REPO, 'test-artifacts');

const CHROMIUM_FLAGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** VNAI_CHROMIUM if set, else `chromium` (then `chromium-browser`) on the PATH, else undefined. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.VNAI_CHROMIUM !== undefined && env.VNAI_CHROMIUM !== '') return executable(env.VNAI_CHROMIUM) ? env.VNAI_CHROMIUM : undefined;
  return findOnPath('chromium', env) ?? findOnPath('chromium-browser', env);
}

/** Launches headless Chromium (no sandbox: CI runs as root). */
export async function launchChromium(executablePath: string): Promise<Browser> {
  return await chromium.launch({ executablePath, headless: true, chromiumSandbox: false, args: CHROMIUM_FLAGS, timeout: 60_000 });
}

/** `ARTIFACTS_DIR/<sub>`, emptied (no screenshot of an earlier run is left to mislead). */
export function artifactsDir(sub: string): string {
  const dir = join(ARTIFACTS_DIR, sub);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
