/**
 * The labelled data set (dữ liệu) of the demo's sentiment model: short
 * Vietnamese product and service reviews, with diacritics, labelled
 * `tieu_cuc` (negative), `trung_tinh` (neutral) or `tich_cuc` (positive).
 *
 * Why generated: the project trains its model itself, offline, with no
 * downloads, so the data ships in the repo. Most sentences come from
 * templates crossed with a vocabulary (deterministically, from a seed);
 * a set of hand-written sentences that follow no template is mixed in, and
 * the held-out accuracy is also reported on those alone, because a template
 * seen in training makes its other fillings easy.
 */
import { tao_ngau_nhien, xao_tron } from './random.js';

/** The labels, in the order of the model's output columns. */
export const NHAN_CAM_XUC = ['tieu_cuc', 'trung_tinh', 'tich_cuc'] as const;
/** One label: negative, neutral or positive. */
export type NhanCamXuc = (typeof NHAN_CAM_XUC)[number];

/** One labelled sentence (mẫu: sample). */
export interface MauCamXuc {
  readonly van_ban: string;
  readonly nhan: NhanCamXuc;
  /** True for the hand-written sentences (no template). */
  readonly viet_tay: boolean;
}

const SAN_PHAM = [
  'điện thoại', 'máy giặt', 'tai nghe', 'laptop', 'đồng hồ', 'áo khoác', 'đôi giày', 'nồi cơm điện',
  'quạt máy', 'son môi', 'cuốn sách', 'bàn phím', 'dịch vụ giao hàng', 'nhà hàng', 'khách sạn',
  'quán cà phê', 'ứng dụng', 'gói cước', 'máy lọc nước', 'tủ lạnh', 'bộ sạc', 'kem chống nắng',
];
const TOT = ['tốt', 'tuyệt vời', 'xuất sắc', 'rất đẹp', 'chất lượng', 'rất ổn', 'bền', 'đáng tiền', 'ngon', 'ưng ý'];
const TE = ['tệ', 'kém', 'dở', 'quá tệ', 'kém chất lượng', 'tồi', 'thất vọng', 'rất chán', 'lởm', 'tệ hại'];
const TRUNG_BINH = ['bình thường', 'tạm được', 'trung bình', 'cũng thường', 'không có gì đặc biệt'];

/** Aspects (khía cạnh) of a product or service, and words that judge them. */
const KHIA_CANH = [
  'pin', 'màn hình', 'giao hàng', 'phục vụ', 'nhân viên', 'đóng gói', 'giá cả', 'âm thanh', 'chất vải',
  'đồ ăn', 'phòng', 'tốc độ', 'bảo hành', 'thái độ', 'mùi vị', 'thiết kế',
];
const KC_TOT = ['tuyệt', 'rất tốt', 'chu đáo', 'nhanh', 'sạch sẽ', 'ổn định', 'thân thiện', 'hợp lý', 'êm', 'ngon', 'đẹp', 'mượt'];
const KC_TE = ['tệ', 'quá chậm', 'cẩu thả', 'bẩn', 'khó chịu', 'đắt', 'rè', 'nhạt nhẽo', 'xấu', 'lag', 'kém', 'cau có'];

type KhuonMau = (sp: string, tu: (ds: readonly string[]) => string) => string;

const KHUON: Record<NhanCamXuc, KhuonMau[]> = {
  tich_cuc: [
    (sp, t) => `${sp} này ${t(TOT)} lắm`,
    (sp) => `Tôi rất hài lòng với ${sp}`,
    (sp, t) => `${sp} ${t(TOT)}, sẽ ủng hộ tiếp`,
    (sp, t) => `Mình thích ${sp} này, ${t(TOT)} thật sự`,
    (sp, t) => `Chất lượng ${sp} ${t(TOT)}, giao hàng nhanh`,
    (sp) => `${sp} dùng rất thích, đáng đồng tiền bát gạo`,
    (sp, t) => `Nhân viên nhiệt tình, ${sp} ${t(TOT)}`,
    (sp) => `Quá ưng ${sp} luôn, cảm ơn shop`,
    (sp) => `Sẽ giới thiệu ${sp} cho bạn bè`,
    (sp, t) => `${sp} vượt mong đợi, ${t(TOT)}`,
    (_sp, t) => `${t(KHIA_CANH)} ${t(KC_TOT)}, ${t(KHIA_CANH)} ${t(KC_TOT)}`,
    (sp, t) => `${sp} có ${t(KHIA_CANH)} ${t(KC_TOT)}, rất hài lòng`,
  ],
  tieu_cuc: [
    (sp, t) => `${sp} ${t(TE)} quá`,
    (sp) => `Tôi rất thất vọng với ${sp}`,
    (sp, t) => `${sp} không ${t(TOT)} chút nào`,
    (sp) => `${sp} dùng được hai ngày đã hỏng`,
    (sp, t) => `Phí tiền mua ${sp}, ${t(TE)}`,
    (sp, t) => `Nhân viên thái độ kém, ${sp} ${t(TE)}`,
    (sp) => `Không bao giờ mua ${sp} ở đây nữa`,
    (sp, t) => `${sp} không như quảng cáo, ${t(TE)}`,
    (sp) => `Giao hàng chậm, ${sp} bị lỗi`,
    (sp) => `Đừng mua ${sp} này, phí tiền`,
    (_sp, t) => `${t(KHIA_CANH)} ${t(KC_TE)}, ${t(KHIA_CANH)} ${t(KC_TE)}`,
    (sp, t) => `${sp} có ${t(KHIA_CANH)} ${t(KC_TE)}, không hài lòng`,
  ],
  trung_tinh: [
    (sp) => `Tôi mới mua ${sp} hôm qua`,
    (sp, t) => `${sp} ${t(TRUNG_BINH)}`,
    (sp) => `Cho hỏi ${sp} còn hàng không`,
    (sp) => `${sp} có màu đen và màu trắng`,
    (sp) => `Giá ${sp} là bao nhiêu vậy`,
    (sp, t) => `${sp} giống như mô tả, ${t(TRUNG_BINH)}`,
    (sp) => `Tôi đang dùng thử ${sp}`,
    (sp) => `Shop đã gửi ${sp} theo đơn`,
    (sp) => `${sp} được giao vào thứ hai`,
    (sp) => `Không biết ${sp} có bảo hành không`,
    (_sp, t) => `${t(KHIA_CANH)} thế nào vậy shop`,
    (sp, t) => `Cho mình hỏi về ${t(KHIA_CANH)} của ${sp}`,
  ],
};

/** Sentences written by hand, following no template. */
const VIET_TAY: Record<NhanCamXuc, string[]> = {
  tich_cuc: [
    'Đóng gói cẩn thận, sản phẩm y hình, rất hài lòng',
    'Phục vụ chu đáo, món ăn ngon, giá hợp lý',
    'Pin trâu, màn hình sắc nét, quá tuyệt',
    'Lần đầu mua mà ưng ý ghê, chắc chắn quay lại',
    'Giao nhanh hơn dự kiến, shop tư vấn nhiệt tình',
    'Phòng sạch sẽ, view đẹp, nhân viên thân thiện',
    'Âm thanh hay, đeo êm tai, rất đáng mua',
    'Hàng chính hãng, dùng rất mượt, cho năm sao',
    'Vải mềm, mặc mát, form chuẩn, thích lắm',
    'Ứng dụng dễ dùng, chạy nhanh, không bị lag',
    'Cà phê thơm, không gian yên tĩnh, tuyệt vời',
    'Sản phẩm tốt hơn mong đợi, cảm ơn shop nhiều',
    'Bác sĩ tận tâm, khám kỹ, rất yên tâm',
    'Xe chạy êm, tiết kiệm xăng, rất hài lòng',
    'Đồ ăn nóng hổi, giao đúng giờ, tuyệt',
    'Mua lần thứ ba rồi, lần nào cũng ưng',
    'Shop đóng gói kỹ, còn tặng kèm quà nhỏ',
    'Dùng một tháng vẫn chạy ngon lành',
    'Giá rẻ mà chất lượng không thua hàng hiệu',
    'Nhân viên lễ phép, xử lý yêu cầu rất nhanh',
    'Màu son lên chuẩn, giữ màu lâu, thích mê',
    'Tư vấn có tâm, hàng đẹp như hình',
    'Rất đáng tiền, mọi người nên mua thử',
    'Không gian ấm cúng, nhạc nhẹ dễ chịu',
    'Lắp đặt nhanh gọn, kỹ thuật viên vui vẻ',
  ],
  tieu_cuc: [
    'Hàng giao sai màu, nhắn tin shop không trả lời',
    'Đồ ăn nguội ngắt, phục vụ chậm, không quay lại',
    'Pin tụt nhanh, máy nóng ran, rất thất vọng',
    'Phòng bẩn, máy lạnh hỏng, nhân viên cau có',
    'Mới dùng một tuần đã hư, bảo hành thì lằng nhằng',
    'Ứng dụng toàn lỗi, đăng nhập mãi không được',
    'Vải mỏng, đường may xấu, phí tiền',
    'Giao hàng trễ cả tuần, hộp móp méo hết',
    'Âm thanh rè, đeo đau tai, quá tệ',
    'Tính tiền sai, thái độ thì khó chịu',
    'Hàng nhái, không giống hình chút nào',
    'Mạng chập chờn suốt, gọi tổng đài không ai nghe',
    'Chờ cả tiếng mới có món, đồ ăn lại mặn chát',
    'Sản phẩm lỗi mà shop không chịu đổi trả',
    'Chất lượng tệ, không đáng một xu',
    'Gọi món xong chờ mãi, hỏi thì nhân viên lơ đi',
    'Mua về bật không lên, quá bực mình',
    'Hình một đằng, hàng một nẻo',
    'Shop hủy đơn không báo trước, mất uy tín',
    'Giày mang vài lần đã bong keo',
    'Phòng ồn ào cả đêm, không ngủ được',
    'Kem bôi lên bị kích ứng, nổi mẩn đỏ',
    'Tai nghe kết nối chập chờn, rất khó chịu',
    'Cước phí tăng vô lý, chăm sóc khách hàng kém',
    'Lần cuối cùng tôi mua ở đây',
  ],
  trung_tinh: [
    'Hôm nay tôi nhận được hàng',
    'Sản phẩm này có mấy kích cỡ',
    'Shop mở cửa từ tám giờ sáng',
    'Tôi đặt hai cái, một cái màu xanh',
    'Đơn hàng đang được vận chuyển',
    'Khách sạn nằm gần trung tâm thành phố',
    'Món này ăn cũng được, không ngon không dở',
    'Giá cũng vừa phải, chất lượng tương xứng',
    'Tôi chưa dùng nên chưa đánh giá được',
    'Máy có hai chế độ giặt nhanh và giặt thường',
    'Có giao hàng ra tỉnh không shop',
    'Ứng dụng vừa cập nhật phiên bản mới',
    'Quán có chỗ để xe máy',
    'Sản phẩm đúng như mô tả trên trang',
    'Tôi sẽ dùng thêm vài hôm rồi nhận xét',
    'Sản phẩm được sản xuất tại Việt Nam',
    'Mình muốn đổi sang size lớn hơn',
    'Hộp gồm máy, cáp sạc và sách hướng dẫn',
    'Tuần sau tôi sẽ quay lại lấy hàng',
    'Máy nặng khoảng hai ký',
    'Shop có chi nhánh ở Đà Nẵng không',
    'Tôi thanh toán bằng thẻ ngân hàng',
    'Đơn của tôi mã số một hai ba',
    'Quán đông khách vào buổi tối',
    'Có ai dùng thử loại này chưa',
  ],
};

/**
 * Builds the whole data set, the same every time for the same seed: each
 * template filled with `so_moi_khuon` products (and vocabulary words), plus
 * every hand-written sentence.
 */
export function tao_du_lieu(hat_giong = 20240601, so_moi_khuon = 12): MauCamXuc[] {
  const r = tao_ngau_nhien(hat_giong);
  const chon = (ds: readonly string[]): string => ds[Math.floor(r() * ds.length)] as string;
  const ra: MauCamXuc[] = [];
  for (const nhan of NHAN_CAM_XUC) {
    for (const khuon of KHUON[nhan]) {
      const sp = xao_tron([...SAN_PHAM], r).slice(0, so_moi_khuon);
      for (const s of sp) {
        const cau = khuon(s, chon);
        ra.push({ van_ban: cau.charAt(0).toLocaleUpperCase('vi') + cau.slice(1), nhan, viet_tay: false });
      }
    }
    for (const cau of VIET_TAY[nhan]) ra.push({ van_ban: cau, nhan, viet_tay: true });
  }
  return ra;
}

/** A training and a held-out set (tập huấn luyện / tập kiểm tra). */
export interface ChiaDuLieu {
  huan_luyen: MauCamXuc[];
  kiem_tra: MauCamXuc[];
}

/**
 * Splits per label and per origin (template / hand-written), so both sets
 * hold every label in the same proportion; `ty_le_kiem_tra` of each group
 * is held out.
 */
export function chia_du_lieu(du_lieu: readonly MauCamXuc[], hat_giong = 7, ty_le_kiem_tra = 0.2): ChiaDuLieu {
  const r = tao_ngau_nhien(hat_giong);
  const nhom = new Map<string, MauCamXuc[]>();
  for (const m of du_lieu) {
    const k = `${m.nhan}/${m.viet_tay}`;
    const ds = nhom.get(k) ?? [];
    ds.push(m);
    nhom.set(k, ds);
  }
  const huan_luyen: MauCamXuc[] = [];
  const kiem_tra: MauCamXuc[] = [];
  for (const ds of nhom.values()) {
    const x = xao_tron([...ds], r);
    const n = Math.round(x.length * ty_le_kiem_tra);
    kiem_tra.push(...x.slice(0, n));
    huan_luyen.push(...x.slice(n));
  }
  return { huan_luyen: xao_tron(huan_luyen, r), kiem_tra };
}
