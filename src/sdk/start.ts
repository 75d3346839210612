/**
 * `khoi_dong_sdk()` (start the SDK): builds THE pipeline of the process on
 * OpenTelemetry's NodeSDK (see running-sdk.ts) and makes it the pipeline
 * every facade writes into.
 */
import { LoiCauHinh } from '../core/config-error.js';
import { dat_pipeline, pipeline_hien_tai } from '../core/registry.js';
import { report_failure } from '../core/report.js';
import { PipelineMetric } from '../pipeline/metric-pipeline.js';
import { giai_cau_hinh, type TuyChonSdk } from './config.js';
import { sdk_khac_da_dang_ky } from './other-sdk.js';
import { SdkDangChay } from './running-sdk.js';

/** The process-wide slot of the SDK started last (on globalThis, so two copies of this package agree). */
const SLOT = Symbol.for('vietnamese-ai-otel.sdk.v1');
const slots = globalThis as unknown as Record<symbol, SdkDangChay | undefined>;

/** The SDK that is running, if any: the one started last, while its pipeline is current. */
export function sdk_hien_tai(): SdkDangChay | undefined {
  const sdk = slots[SLOT];
  return sdk !== undefined && pipeline_hien_tai() === sdk.pipeline ? sdk : undefined;
}

/**
 * Starts the SDK (khởi động SDK) from options and OTEL_* environment
 * variables (options win). Synchronous, so nothing the app does afterwards
 * escapes it; `san_sang()` waits for network outputs to listen. A bad
 * environment value is a diag warning and its default, never an error.
 *
 * @throws LoiCauHinh for a malformed option (it names which), or when another
 *   OpenTelemetry SDK is already registered (use `tao_metric_producer()` in it).
 * @throws Error when this SDK is already running (call `tat()` first).
 * @returns the running SDK, or `undefined` when OTEL_SDK_DISABLED is true
 *   (the facades then keep working on the embedded pipeline).
 */
export function khoi_dong_sdk(tuy_chon?: TuyChonSdk): SdkDangChay | undefined {
  const c = giai_cau_hinh(tuy_chon);
  if (c.tat_sdk) return undefined;
  if (sdk_hien_tai() !== undefined) throw new Error('khoi_dong_sdk: the SDK is already running; call tat() on it first');
  const others = sdk_khac_da_dang_ky();
  if (others.length > 0) {
    throw new LoiCauHinh(
      'khoi_dong_sdk',
      `another OpenTelemetry SDK is already registered (${others.join(', ')}); two pipelines would fight over every span. ` +
        'Keep yours and add the facades\' metrics to it with tao_metric_producer() (README, "Using your own NodeSDK"), or start this SDK instead of it',
    );
  }
  const sdk = new SdkDangChay(c);
  slots[SLOT] = sdk;
  const previous = dat_pipeline(sdk.pipeline);
  // An embedded pipeline made before the SDK is retired: its sources moved.
  if (previous instanceof PipelineMetric) void previous.dong().catch((e: unknown) => report_failure('closing the embedded metric pipeline', e));
  return sdk;
}
