export { KiemTraSucKhoe } from './kiem-tra-suc-khoe.js';
export { LoiCheckDaTonTai } from './loi.js';
export type { ChiTietCheck, HamCheck, KetQuaKiemTra, MauLichSu, ThongTinHeThong, TrangThaiCheck, TrangThaiSucKhoe, TuyChonChecksMacDinh, TuyChonSucKhoe } from './kieu.js';
