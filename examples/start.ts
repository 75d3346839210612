/**
 * `npm start`: the demo, two processes (the model service and the gateway)
 * so that one trace crosses two services. Both inherit the environment
 * (PORT, MODEL_PORT, HOST, OTEL_*); on SIGINT/SIGTERM both get the signal
 * and shut down gracefully; if one exits, the other is stopped too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const thu_muc = join(dirname(fileURLToPath(import.meta.url)), 'demo');

function chay(tep: string, ten_dich_vu: string): ChildProcess {
  const env = { ...process.env, OTEL_SERVICE_NAME: ten_dich_vu };
  return spawn(process.execPath, [join(thu_muc, tep)], { stdio: 'inherit', env });
}

const con = [chay('model-service.js', 'vnai-model'), chay('gateway.js', 'vnai-gateway')];
let dang_dung = false;

function dung(tin_hieu: NodeJS.Signals, ma: number): void {
  if (dang_dung) return;
  dang_dung = true;
  for (const c of con) if (c.exitCode === null && c.signalCode === null) c.kill(tin_hieu);
  const het = setTimeout(() => {
    for (const c of con) if (c.exitCode === null) c.kill('SIGKILL');
    process.exit(ma || 1);
  }, 15_000);
  het.unref();
  void Promise.all(con.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r))))).then(() => process.exit(ma));
}

for (const c of con) {
  c.once('exit', (code, signal) => {
    if (!dang_dung) {
      console.error(`a demo process exited (${code ?? signal}); stopping the other`);
      dung('SIGTERM', 1);
    }
  });
}
process.once('SIGINT', () => dung('SIGINT', 0));
process.once('SIGTERM', () => dung('SIGTERM', 0));
