export { KiemTraSucKhoe } from './health-check.js';
export { LoiCheckDaTonTai } from './errors.js';
export type { ChiTietCheck, HamCheck, KetQuaKiemTra, MauLichSu, ThongTinHeThong, TrangThaiCheck, TrangThaiSucKhoe, TuyChonChecksMacDinh, TuyChonSucKhoe } from './types.js';
