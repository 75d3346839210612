/**
 * `node --import vietnamese-ai-otel/register app.js`: starts the SDK from
 * OTEL_* environment variables alone, before the app's first line, and
 * flushes telemetry when the process ends. On SIGTERM/SIGINT, when the app
 * has no handler of its own, it shuts the SDK down (bounded) and exits with
 * the conventional code; an app with its own handler (for example the
 * graceful-shutdown helper) keeps control.
 *
 * It also installs import-in-the-middle's ESM loader hook (as
 * @opentelemetry/instrumentation documents), so instrumentations the app
 * registers itself (express, pg, ...) patch modules it loads with `import`,
 * not only with `require`. It intercepts every module, because which ones the
 * app will instrument is not known yet; register the instrumentations in a
 * module imported before the instrumented package.
 */
import { register as registerHook } from 'node:module';
import { khoi_dong_sdk } from './sdk/start.js';
import type { SdkDangChay } from './sdk/running-sdk.js';

// Nothing here may stop the app: bad OTEL_* values are already warnings;
// what is left (another SDK registered first) is reported and skipped.
function start(): SdkDangChay | undefined {
  try {
    return khoi_dong_sdk();
  } catch (e) {
    console.error(`vietnamese-ai-otel/register: the SDK was not started: ${(e as Error).message}`);
    return undefined;
  }
}
const sdk = start();

if (sdk !== undefined) {
  registerHook('import-in-the-middle/hook.mjs', import.meta.url);
  process.once('beforeExit', () => {
    void sdk.tat();
  });
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 0) return; // the app handles it
      void sdk.tat().finally(() => process.exit(code));
    };
    process.once(signal, onSignal);
  }
}

export { sdk };
