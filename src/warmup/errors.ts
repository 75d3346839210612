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
    registered: readonly string[],
  ) {
    const known = registered.length === 0 ? 'none registered' : `registered: ${registered.map((name) => JSON.stringify(name)).join(', ')}`;
    super(`LamNongModel: no model named ${JSON.stringify(ten_model)} (${known})`);
  }
}

/** `lay_model` could not warm the model (lỗi làm nóng): the warm-up's result is attached. */
export class LoiLamNong extends Error {
  override readonly name = 'LoiLamNong';
  constructor(readonly ket_qua: KetQuaLamNong) {
    super(`LamNongModel: warm-up of model ${JSON.stringify(ket_qua.ten)} failed after ${ket_qua.so_lan} successful run(s): ${ket_qua.loi ?? 'unknown error'}`);
  }
}
