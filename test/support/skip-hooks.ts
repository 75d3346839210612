/**
 * Visible skips of checks that need a tool this machine lacks (promtool):
 * the rest of the test still runs and must pass; only then is the test
 * reported pending, its title carrying the reason, and the reporter
 * (./reporter.cjs) prints one line per tool saying how many checks were
 * skipped, just before its closing line. A failing test stays a failure.
 * Loaded as a mocha root-hook plugin (.mocharc*.json `require`).
 */
import type { Context, Test } from 'mocha';

/** tool -> reason and the number of checks skipped. */
const skipped = new Map<string, { reason: string; checks: number }>();
/** Tests in which a check was skipped, with the reasons. */
const pendingReasons = new WeakMap<Test, Set<string>>();
let current: Test | undefined;

/** Records that a check of `tool` was skipped in the running test. */
export function skipCurrentTest(tool: string, reason: string): void {
  const s = skipped.get(tool) ?? { reason, checks: 0 };
  s.checks++;
  skipped.set(tool, s);
  if (current === undefined) return;
  const rs = pendingReasons.get(current) ?? new Set<string>();
  rs.add(reason);
  pendingReasons.set(current, rs);
}

/** The closing lines, e.g. `promtool not found: 42 exposition checks skipped (...)`. */
function skipSummary(): string[] {
  return [...skipped.values()].map((s) => {
    const [what, how] = s.reason.split(' (');
    return `${what}: ${s.checks} exposition check${s.checks === 1 ? '' : 's'} skipped${how !== undefined ? ` (${how}` : ''}`;
  });
}

const wrapped = new WeakSet<Test>();

export const mochaHooks = {
  beforeEach(this: Context): void {
    const test = this.currentTest;
    current = test;
    if (test === undefined || wrapped.has(test) || typeof test.fn !== 'function' || test.fn.length > 0) return;
    wrapped.add(test);
    const fn = test.fn as (this: Context) => unknown;
    test.fn = async function (this: Context): Promise<void> {
      await fn.call(this);
      const reasons = pendingReasons.get(test);
      if (reasons === undefined) return;
      test.title += ` [skipped: ${[...reasons].join('; ')}]`;
      this.skip();
    };
  },
};

// The reporter is CommonJS and loaded apart from this module: it finds the summary here.
(globalThis as Record<symbol, unknown>)[Symbol.for('vietnamese-ai-otel.test.skipSummary')] = skipSummary;
