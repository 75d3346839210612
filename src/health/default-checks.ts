/**
 * The default checks (checks mặc định): disk, memory and event loop (never
 * critical: a full disk or a slow loop degrades a service, it does not make
 * restarting it useful) and, for a model, `model_loaded` and
 * `model_inference` (critical: a service without its model cannot answer).
 */
import { read_memory, read_disk } from './system.js';
import type { HamCheck, TuyChonChecksMacDinh } from './types.js';
import { take_loop_delay } from './event-loop.js';
import { find_predict } from '../core/model-predict.js';
import { number_option, options_object } from '../core/options.js';

/** A check to register, as `dang_ky_check` takes it. */
export interface DefaultCheck {
  name: string;
  fn: HamCheck;
  description: string;
  critical: boolean;
}

const OWNER = 'dang_ky_checks_mac_dinh';
const FRACTION = { min: 0, max: 1 } as const;

/**
 * The default checks for `model` (undefined: none of the model checks).
 * Unknown keys are ignored, as they always were here.
 * @throws TypeError / RangeError naming a bad option.
 */
export function default_checks(diskPath: string, model: unknown, options: TuyChonChecksMacDinh): DefaultCheck[] {
  const o = options_object(OWNER, options);
  const minFreeDisk = number_option(OWNER, 'nguong_dia_trong', o.nguong_dia_trong, 0.05, FRACTION);
  const maxUsedMemory = number_option(OWNER, 'nguong_bo_nho', o.nguong_bo_nho, 0.95, FRACTION);
  const maxLoopDelayS = number_option(OWNER, 'nguong_tre_vong_lap', o.nguong_tre_vong_lap, 0.5, { min: 0, min_exclusive: true, unit: 'seconds' });
  const checks = systemChecks(diskPath, minFreeDisk, maxUsedMemory, maxLoopDelayS);
  if (model !== undefined) checks.push(...modelChecks(model, options));
  return checks;
}

/** disk, memory and event_loop: never critical (a full disk or a slow loop degrades a service; restarting it does not help). */
function systemChecks(diskPath: string, minFreeDisk: number, maxUsedMemory: number, maxLoopDelayS: number): DefaultCheck[] {
  return [
    {
      name: 'disk',
      description: `Free space on the disk of ${diskPath} is at least ${minFreeDisk * 100}%`,
      critical: false,
      fn: async () => {
        const d = await read_disk(diskPath);
        if (d.total <= 0) return true;
        const free = d.free / d.total;
        if (free < minFreeDisk) throw new Error(`disk ${(free * 100).toFixed(1)}% free, below ${minFreeDisk * 100}%`);
        return true;
      },
    },
    {
      name: 'memory',
      description: `Memory in use (machine or cgroup) is below ${maxUsedMemory * 100}%`,
      critical: false,
      fn: () => {
        const m = read_memory();
        const used = m.total > 0 ? (m.total - m.available) / m.total : 0;
        if (used > maxUsedMemory) throw new Error(`memory ${(used * 100).toFixed(1)}% used, above ${maxUsedMemory * 100}%`);
        return true;
      },
    },
    {
      name: 'event_loop',
      description: `p99 event-loop delay since the last run is below ${maxLoopDelayS * 1000} ms`,
      critical: false,
      fn: () => {
        const r = take_loop_delay();
        if (r.p99_ms > maxLoopDelayS * 1000) throw new Error(`event-loop delay p99 ${r.p99_ms.toFixed(1)} ms (max ${r.max_ms.toFixed(1)} ms), above ${maxLoopDelayS * 1000} ms`);
        return true;
      },
    },
  ];
}

/** model_loaded, and model_inference when the model can predict: critical (a service without its model cannot answer). */
function modelChecks(model: unknown, options: TuyChonChecksMacDinh): DefaultCheck[] {
  const checks: DefaultCheck[] = [
    {
      name: 'model_loaded',
      description: 'The model is loaded',
      critical: true,
      fn: () => {
        if (model === null) return false;
        // A model may say itself whether it is loaded (`da_tai`: loaded, a property or a method).
        const m = model as { da_tai?: unknown };
        if (typeof model === 'object' && 'da_tai' in m) return typeof m.da_tai === 'function' ? (m.da_tai as () => unknown).call(model) : m.da_tai;
        return true;
      },
    },
  ];
  const predict = find_predict(model);
  if (predict !== undefined) {
    const sample = 'du_lieu_mau' in options ? options.du_lieu_mau : 'kiểm tra';
    checks.push({
      name: 'model_inference',
      description: 'The model answers a sample input',
      critical: true,
      // Any answer counts (a class index 0 or `false` is a valid prediction); null/undefined does not.
      fn: async () => {
        const answer: unknown = await predict(sample);
        return answer !== undefined && answer !== null;
      },
    });
  }
  return checks;
}
