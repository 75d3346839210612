/**
 * Errors (lỗi) of LamNongModel, exported so callers can tell "no such model"
 * from "its warm-up failed" with `instanceof`.
 */
import type { KetQuaLamNong } from './types.js';

/** No model of that name is registered (không có model). */
export class LoiKhongCoModel extends Error {
  override readonly name = 'LoiKhongCoModel';
  constructor(
    /** The name asked for. */
    readonly ten_model: string,
    da_dang_ky: readonly string[],
  ) {
    const ds = da_dang_ky.length === 0 ? 'none registered' : `registered: ${da_dang_ky.map((t) => JSON.stringify(t)).join(', ')}`;
    super(`LamNongModel: no model named ${JSON.stringify(ten_model)} (${ds})`);
  }
}

/** `lay_model` could not warm the model (lỗi làm nóng): the warm-up's result is attached. */
export class LoiLamNong extends Error {
  override readonly name = 'LoiLamNong';
  constructor(readonly ket_qua: KetQuaLamNong) {
    super(`LamNongModel: warm-up of model ${JSON.stringify(ket_qua.ten)} failed after ${ket_qua.so_lan} successful run(s): ${ket_qua.loi ?? 'unknown error'}`);
  }
}
