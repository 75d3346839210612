/** Errors (lỗi) of the health checks. */

/** A check with this name is already registered (check đã tồn tại). */
export class LoiCheckDaTonTai extends Error {
  override readonly name = 'LoiCheckDaTonTai';
  constructor(readonly ten_check: string) {
    super(`KiemTraSucKhoe: a check named ${JSON.stringify(ten_check)} is already registered; remove it first (xoa_check) or pick another name`);
  }
}
