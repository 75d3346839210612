/**
 * `khoi_dong_sdk()` (start the SDK): builds THE pipeline of the process on
 * OpenTelemetry's NodeSDK (see running-sdk.ts) and makes it the pipeline
 * every facade writes into.
 */
import { LoiCauHinh } from '../core/config-error.js';
import { set_pipeline, pipeline_hien_tai } from '../core/registry.js';
import { report_failure } from '../core/report.js';
import { PipelineMetric } from '../pipeline/metric-pipeline.js';
import { giai_cau_hinh, type TuyChonSdk } from './config.js';
import { other_sdks_registered } from './other-sdk.js';
import { SdkDangChay } from './running-sdk.js';

/** The SDK that holds each pipeline (weakly: a shut-down SDK is not kept alive by this map). */
const sdkOf = new WeakMap<object, SdkDangChay>();

/** The SDK that is running, if any: the one whose pipeline is the current pipeline. */
export function sdk_hien_tai(): SdkDangChay | undefined {
  const p = pipeline_hien_tai();
  return p === undefined ? undefined : sdkOf.get(p);
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
  const others = other_sdks_registered();
  if (others.length > 0) {
    throw new LoiCauHinh(
      'khoi_dong_sdk',
      `another OpenTelemetry SDK is already registered (${others.join(', ')}); two pipelines would fight over every span. ` +
        'Keep yours and add the facades\' metrics to it with tao_metric_producer() (README, "Using your own NodeSDK"), or start this SDK instead of it',
    );
  }
  const sdk = new SdkDangChay(c);
  sdkOf.set(sdk.pipeline, sdk);
  const previous = set_pipeline(sdk.pipeline);
  // An embedded pipeline made before the SDK is retired: its sources moved.
  if (previous instanceof PipelineMetric) void previous.dong().catch((e: unknown) => report_failure('closing the embedded metric pipeline', e));
  return sdk;
}
