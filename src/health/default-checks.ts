/**
 * The default checks (checks mặc định): disk, memory and event loop (never
 * critical: a full disk or a slow loop degrades a service, it does not make
 * restarting it useful) and, for a model, `model_loaded` and
 * `model_inference` (critical: a service without its model cannot answer).
 */
import { doc_bo_nho, doc_dia } from './system.js';
import type { HamCheck, TuyChonChecksMacDinh } from './types.js';
import { doc_va_dat_lai_tre } from './event-loop.js';
import { find_predict } from '../core/model-predict.js';

export interface CheckMacDinh {
  ten: string;
  ham: HamCheck;
  mo_ta: string;
  quan_trong: boolean;
}

function tyLe(ten: string, v: unknown, macDinh: number): number {
  if (v === undefined) return macDinh;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new RangeError(`dang_ky_checks_mac_dinh: ${ten} must be a number in [0, 1], got ${String(v)}`);
  }
  return v;
}

/**
 * The default checks for `model` (undefined: none of the model checks).
 * @throws TypeError / RangeError naming a bad option.
 */
export function tao_checks_mac_dinh(duong_dan_dia: string, model: unknown, t: TuyChonChecksMacDinh): CheckMacDinh[] {
  if (t === null || typeof t !== 'object') throw new TypeError('dang_ky_checks_mac_dinh: options must be an object');
  const nguongDia = tyLe('nguong_dia_trong', t.nguong_dia_trong, 0.05);
  const nguongBoNho = tyLe('nguong_bo_nho', t.nguong_bo_nho, 0.95);
  const treS = t.nguong_tre_vong_lap ?? 0.5;
  if (typeof treS !== 'number' || !Number.isFinite(treS) || treS <= 0) {
    throw new RangeError(`dang_ky_checks_mac_dinh: nguong_tre_vong_lap must be a finite number > 0 (s), got ${String(treS)}`);
  }
  const ds = checksHeThong(duong_dan_dia, nguongDia, nguongBoNho, treS);
  if (model !== undefined) ds.push(...checksModel(model, t));
  return ds;
}

/** disk, memory and event_loop: never critical (a full disk or a slow loop degrades a service; restarting it does not help). */
function checksHeThong(duong_dan_dia: string, nguongDia: number, nguongBoNho: number, treS: number): CheckMacDinh[] {
  return [
    {
      ten: 'disk',
      mo_ta: `Free space on the disk of ${duong_dan_dia} is at least ${nguongDia * 100}%`,
      quan_trong: false,
      ham: async () => {
        const d = await doc_dia(duong_dan_dia);
        if (d.tong <= 0) return true;
        const trong = d.trong / d.tong;
        if (trong < nguongDia) throw new Error(`disk ${(trong * 100).toFixed(1)}% free, below ${nguongDia * 100}%`);
        return true;
      },
    },
    {
      ten: 'memory',
      mo_ta: `Memory in use (machine or cgroup) is below ${nguongBoNho * 100}%`,
      quan_trong: false,
      ham: () => {
        const m = doc_bo_nho();
        const dung = m.tong > 0 ? (m.tong - m.con) / m.tong : 0;
        if (dung > nguongBoNho) throw new Error(`memory ${(dung * 100).toFixed(1)}% used, above ${nguongBoNho * 100}%`);
        return true;
      },
    },
    {
      ten: 'event_loop',
      mo_ta: `p99 event-loop delay since the last run is below ${treS * 1000} ms`,
      quan_trong: false,
      ham: () => {
        const r = doc_va_dat_lai_tre();
        if (r.p99_ms > treS * 1000) throw new Error(`event-loop delay p99 ${r.p99_ms.toFixed(1)} ms (max ${r.max_ms.toFixed(1)} ms), above ${treS * 1000} ms`);
        return true;
      },
    },
  ];
}

/** model_loaded, and model_inference when the model can predict: critical (a service without its model cannot answer). */
function checksModel(model: unknown, t: TuyChonChecksMacDinh): CheckMacDinh[] {
  const ds: CheckMacDinh[] = [
    {
      ten: 'model_loaded',
      mo_ta: 'The model is loaded',
      quan_trong: true,
      ham: () => {
        if (model === null) return false;
        // A model may say itself whether it is loaded.
        const m = model as { da_tai?: unknown };
        if (typeof model === 'object' && 'da_tai' in m) return typeof m.da_tai === 'function' ? (m.da_tai as () => unknown).call(model) : m.da_tai;
        return true;
      },
    },
  ];
  const du_doan = find_predict(model);
  if (du_doan !== undefined) {
    const mau = 'du_lieu_mau' in t ? t.du_lieu_mau : 'kiểm tra';
    ds.push({
      ten: 'model_inference',
      mo_ta: 'The model answers a sample input',
      quan_trong: true,
      // Any answer counts (a class index 0 or `false` is a valid prediction); null/undefined does not.
      ham: async () => {
        const kq: unknown = await du_doan(mau);
        return kq !== undefined && kq !== null;
      },
    });
  }
  return ds;
}
