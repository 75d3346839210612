/**
 * `npm run bench`: runs every `bench/*.bench.ts` in its own process (OTel
 * state is global, so benchmarks must not share one), in name order, or only
 * those whose names contain an argument: `npm run bench -- logger`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const thuMuc = dirname(fileURLToPath(import.meta.url));
const loc = process.argv.slice(2);
const tep = readdirSync(thuMuc)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => loc.length === 0 || loc.some((l) => f.includes(l)))
  .sort();
let loi = 0;
for (const f of tep) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(thuMuc, f)], { stdio: 'inherit' });
  if (r.status !== 0) {
    loi++;
    console.log(`!!! ${f} exited with ${r.status ?? r.signal}`);
  }
}
console.log(`\n${tep.length} benchmark files, ${loi} failed; tables in .bench-results/`);
process.exitCode = loi > 0 ? 1 : 0;
