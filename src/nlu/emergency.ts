/**
 * High-recall emergency rules. They run before the statistical model: a danger-now message must never
 * become a report or an FAQ answer, whatever the classifier thinks.
 *
 * Patterns run on the "mixed" form of a message: every token with marks is written as its accented key
 * (`cháy` → `chays`, tone as a trailing letter) and every unmarked token as typed. A word written
 * `w('cháy')` matches `chays` and `chay`, but not `chayj` (chạy, to run) or `chayr` (chảy, to flow):
 * diacritics decide when present, and context decides when they are absent.
 *
 * Guards keep out "số cứu hỏa là gì" (a question about numbers), "báo cháy giả" and drills, "nếu có
 * cháy thì…" and "what to do in case of fire", "bị cướp tháng trước" (over), "cây sắp đổ" (a risk, for
 * soft rules) and "cháy hàng" (sold out), unless the message also says it is happening now ("đang",
 * "vừa", "cứu với", "!"). A guard also takes the emergency label away from the statistical model.
 */
import { accentKey, fold, type Normalised } from './normalise';

export type EmergencyKind = 'fire' | 'gas' | 'rescue' | 'police' | 'medical';

/** Which number each kind calls for; the dialog shows it. */
export const EMERGENCY_NUMBER: Record<EmergencyKind, string> = {
  fire: '114',
  gas: '114',
  rescue: '114',
  police: '113',
  medical: '115',
};

export interface EmergencyMatch {
  readonly kind: EmergencyKind;
  /** 'hard' rules (cứu với, mắc kẹt, đuối nước…) ignore the risk guard ("sắp", "nguy cơ"); 'soft' ones do not. */
  readonly strength: 'hard' | 'soft';
  /** Ids of the rules that fired (debugging and tests). */
  readonly rules: readonly string[];
}

export interface EmergencyVerdict {
  readonly match: EmergencyMatch | null;
  /** A guard holds: the message talks about emergencies but is not one (set whether or not a rule fired). */
  readonly guarded: string | null;
  /** Best guess of the kind from keywords even when nothing fired (for classifier-detected emergencies). */
  readonly kindHint: EmergencyKind | null;
}

// ---------------------------------------------------------------------------------------------
// Pattern DSL

/** One word: its accented key or, typed without marks, its folded form. `=word` accepts only the accented key. */
function w(word: string): string {
  if (word.startsWith('=')) return escape(accentKey(word.slice(1)));
  const a = accentKey(word);
  const f = fold(word);
  return a === f ? escape(a) : `(?:${escape(a)}|${escape(f)})`;
}
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/** A phrase: words separated by spaces; `a/b` alternatives; `~n` up to n words in between. */
function p(spec: string): string {
  const parts = spec.trim().split(/\s+/);
  let out = '';
  let sep = '';
  for (const part of parts) {
    const gap = /^~(\d)$/.exec(part);
    if (gap) {
      sep = ` (?:\\S+ ){0,${gap[1]}}`;
      continue;
    }
    const alts = part.split('/').map((x) => x.split('_').map(w).join(' '));
    out += (out === '' ? '' : sep || ' ') + (alts.length > 1 ? `(?:${alts.join('|')})` : alts[0]);
    sep = '';
  }
  return out;
}
function re(...specs: string[]): RegExp {
  return new RegExp(`(?:^| )(?:${specs.map(p).join('|')})(?= |$)`);
}

interface Rule {
  readonly id: string;
  readonly kind: EmergencyKind;
  readonly strength: 'hard' | 'soft';
  readonly re: RegExp;
  /** If this also matches, the rule does not fire (local exceptions). */
  readonly unless?: RegExp;
}

const PERSON = 'người/ai/em_bé/bé/cháu/trẻ/con/ông/bà/cụ/mẹ/bố/ba/cha/vợ/chồng/anh/chị/em/bạn/tôi/mình/nó/hắn/họ/công_nhân/thợ/học_sinh/đứa/khách';
/** Figurative or harmless uses of cháy (sunburn, sold out, burnt rice, a burnt-out bulb, fire prevention). */
const FIRE_UNLESS = re('cháy nắng/hàng/vé/túi/bỏng/hết_mình/máy_tính/phim/sạch/da/bóng/cầu_chì', 'cơm/xém/phòng/chữa/chống cháy', 'bóng ~1 đèn ~1 cháy', 'bóng ~1 cháy', 'burning rubbish/trash/garbage/leaves/tyres/tires/plastic/straw/waste/fields/incense', 'burn/burns rubbish/trash/garbage/leaves/plastic');
const PLACE_FIRE = 'nhà/rừng/chợ/kho/xưởng/quán/tiệm/căn_hộ/chung_cư/phòng/trọ/khách_sạn/cửa_hàng/tòa_nhà/công_ty/nhà_máy/bếp/cây_xăng/đống/lớn/dữ_dội/ngùn_ngụt/rồi/to/trụ_điện/cột_điện/dây_điện/tủ_điện/công_tơ/đồng_hồ_điện';

const RULES: readonly Rule[] = [
  // ---- fire
  {
    id: 'fire.chay-marked', kind: 'fire', strength: 'soft',
    re: re('=cháy'),
    unless: FIRE_UNLESS,
  },
  { id: 'fire.chay-context', kind: 'fire', strength: 'soft', re: re(`cháy ~1 ${PLACE_FIRE}`, 'bị/vụ/đám/bốc/ngọn cháy', 'xe ~2 bốc/bị cháy', 'cháy nổ ~1 lớn'), unless: FIRE_UNLESS },
  { id: 'fire.dang-chay', kind: 'fire', strength: 'hard', re: re('đang cháy ~1 ' + PLACE_FIRE, 'đang bốc cháy', 'bốc cháy', 'cháy lớn', 'cháy dữ_dội', 'cháy rồi', 'cháy to', 'cháy ngùn_ngụt') },
  { id: 'fire.hoa-hoan', kind: 'fire', strength: 'soft', re: re('hỏa_hoạn', 'hoả_hoạn') },
  { id: 'fire.lua', kind: 'fire', strength: 'soft', re: re('lửa bùng/bốc/cháy/lan/lớn/to/ngùn_ngụt', 'bốc/bắt lửa', 'có lửa ~2 cháy/lớn/bùng', 'khói ~2 lửa', 'phát_nổ', '=nổ lớn/to/tung', 'tiếng =nổ', 'nổ tung', 'chập điện ~2 cháy/lửa/khói') },
  {
    id: 'fire.en', kind: 'fire', strength: 'soft',
    re: re('fire', 'on fire', 'burning', 'flames', 'blaze', 'explosion', 'exploded', 'smoke ~5 house/building/window/apartment/flat/kitchen/roof'),
    unless: re('fire station/stations/department/brigade/service/services/alarm/alarms/hydrant/exit/exits/escape/truck/trucks/safety/extinguisher/prevention/inspection/number/hazard/risk', 'burning rubbish/trash/garbage/leaves/tyres/tires/plastic/straw/waste/fields/incense'),
  },

  // ---- gas
  { id: 'gas.leak', kind: 'gas', strength: 'hard', re: re('rò/rò_rỉ/xì/hở/rỉ ~1 gas/ga/khí', 'mùi gas/ga/khí_gas', 'bình gas/ga ~2 rò/xì/nổ/cháy/hở', 'khí_đốt/ống_gas/ống_ga ~2 rò/rò_rỉ/xì/hở/vỡ', 'gas ~3 leak/leaking/leaks', 'smell ~2 gas', 'leaking ~2 gas', 'khí độc'), unless: re('=xì =gà') },

  // ---- rescue
  { id: 'rescue.trapped', kind: 'rescue', strength: 'hard', re: re('mắc_kẹt', 'bị kẹt ~2 trong/thang_máy/dưới/giữa/không_ra', 'kẹt trong/dưới', 'kẹt thang_máy', 'trapped', 'stuck in/inside ~2 lift/elevator/car/house/building/rubble/flood/water', 'stuck ~1 in ~1 the ~1 lift/elevator'), unless: re('kẹt xe') },
  { id: 'rescue.drowning', kind: 'rescue', strength: 'hard', re: re('đuối_nước', 'chết_đuối', 'bị đuối', 'sắp chìm', 'bị chìm', 'nước cuốn/cuốn_trôi', 'lũ cuốn', 'bị cuốn trôi', 'chới_với', 'lật thuyền/ghe/xuồng/đò', 'thuyền/ghe/xuồng/đò ~2 bị ~1 lật/chìm', 'drowning', 'drowned', 'swept away', 'sinking', 'capsized') },
  { id: 'rescue.fall', kind: 'rescue', strength: 'hard', re: re(`rơi/té/ngã/rớt/lọt/nhảy ~1 xuống sông/hồ/giếng/hố/cống/biển/vực/kênh/mương/ao`, 'nhảy cầu', 'định/đòi/muốn nhảy ~3 lầu/tầng/cầu/xuống/sông', 'nhảy từ ~3 tầng/lầu/cầu/sân_thượng', 'fell into/in/off ~2 river/well/hole/lake/sea/canal/drain/bridge', 'fallen into ~2 river/well/hole/lake', 'jump/jumped/jumping off ~2 bridge') },
  { id: 'rescue.collapse', kind: 'rescue', strength: 'hard', re: re(`=sập ~3 ${PERSON}/đè/vùi/bên_trong`, 'nhà/tường/cầu/mái/công_trình/giàn_giáo sập ~3 =đè/người/=vùi', '=đè/=vùi ~1 ' + PERSON, '=đè lên ~2 ' + PERSON, '=vùi lấp', 'sạt_lở ~3 =vùi/lấp/=đè/cuốn/sập', `đổ ~1 =đè ~2 ${PERSON}`, 'bị vùi', 'collapsed ~3 people/someone/inside/trapped/on', 'buried', 'crushed') },
  { id: 'rescue.isolated', kind: 'rescue', strength: 'soft', re: re('bị cô_lập', 'nước lên ~2 nóc/mái', 'lũ ~2 nóc/mái') },
  { id: 'rescue.cannot-leave', kind: 'rescue', strength: 'hard', re: re('tôi/mình/chúng_tôi/bọn_tôi/cả_nhà/mọi_người/người_già/ông/bà/mẹ/con ~3 không ~1 thoát/ra ~2 được', 'không ~1 thoát ~1 ra ~1 ngoài ~1 được', 'we/i ~3 cannot/can\'t/cant/couldn\'t get ~1 out', 'no way out') },

  // ---- police
  { id: 'police.robbery', kind: 'police', strength: 'hard', re: re('cướp', 'cướp_giật', '=giật ~2 đồ/túi/điện_thoại/dây_chuyền/ví/bóp/xe', 'robbery', 'robbed', 'robbing', 'mugged', 'mugging', 'snatched'), unless: re('cướp biển', 'cướp ~1 lời', 'cướp ~1 đất', 'cướp ~1 công', 'phòng/chống cướp') },
  { id: 'police.theft-now', kind: 'police', strength: 'hard', re: re('đang ~2 trộm', 'trộm ~1 đang', 'có trộm', 'bắt trộm', 'vừa ~2 trộm', 'trộm ~1 vào/vô ~1 nhà', 'đột_nhập', 'burglar', 'burglary', 'break/breaking/broke in/into', 'thief ~2 now/here/inside', 'stealing ~2 now/right') },
  {
    id: 'police.weapon', kind: 'police', strength: 'hard',
    re: re('dao/mã_tấu/=kiếm/súng/hung_khí/gậy_gộc/tuýp ~3 đánh/chém/đâm/đuổi/dọa/truy_sát', 'đánh/chém/đâm/đuổi/dọa ~3 dao/mã_tấu/=kiếm/súng/hung_khí/gậy/tuýp', 'chém/=đâm người', 'bị chém', 'bị đâm', 'đâm/chém nhau', 'nổ súng', '=bắn nhau', '=bắn người', 'knife', 'knives', 'gun', 'guns', 'shooting', 'shot', 'stabbed', 'stabbing', 'machete'),
    unless: re('xe ~3 đâm/tông', 'đâm ~2 xe/cột/tường/gốc/cây/lan_can/dải_phân_cách/cột_điện', 'đâm ~1 đơn'),
  },
  { id: 'police.fight-serious', kind: 'police', strength: 'soft', re: re('đánh_nhau/ẩu_đả/hỗn_chiến ~4 máu/bị_thương/chết/dao/đông/nghiêm_trọng/to/lớn/dữ', 'đang ~2 đánh_nhau/ẩu_đả/hỗn_chiến', 'đang ~2 đánh người', 'hỗn_chiến', 'đánh hội_đồng', 'đánh ~1 người ~2 máu/chết/bất_tỉnh', 'fight/fighting/brawl ~4 knife/knives/blood/bleeding/weapons/injured/hurt/now', 'people ~1 fighting ~2 now') },
  { id: 'police.abduction', kind: 'police', strength: 'hard', re: re('bắt_cóc', 'dọa/đe_dọa/đòi ~1 giết', 'giết người', '=hiếp', 'hiếp_dâm', 'xâm_hại', 'bạo_hành ~2 đang', 'đang ~2 bạo_hành', 'đánh vợ/con/mẹ ~2 dã_man', 'kidnap', 'kidnapped', 'kidnapping', 'abducted', 'attacking', 'assaulted', 'threatening ~2 kill') },

  // ---- medical
  { id: 'medical.injury', kind: 'medical', strength: 'soft', re: re('bị_thương', 'chảy ~1 máu', 'mất ~1 máu', 'máu ~1 chảy', 'gãy chân/tay/cổ', 'bị ~1 rắn/chó_dại cắn', 'snake ~1 bite/bit', 'bitten ~2 snake', 'injured', 'injuries', 'bleeding', 'hurt ~2 badly', 'badly hurt', 'broken leg/arm/neck') },
  { id: 'medical.collapse', kind: 'medical', strength: 'hard', re: re('=ngất', 'ngất_xỉu', 'xỉu', 'bị ngất', 'bất_tỉnh', 'hôn_mê', 'đột_quỵ', 'co_giật', 'nằm gục', 'đầy máu', 'máu me', 'treo cổ', 'sắp đẻ', 'đẻ rơi', 'đang đẻ', 'sốc thuốc', 'ngừng thở', 'không thở', 'tắt thở', 'lên cơn', 'lên cơn đau tim', 'bị đau tim', 'đau ngực', 'sốc phản_vệ', 'trụy tim', 'ngừng tim', 'chuyển_dạ', 'vỡ ối', 'đau đẻ', 'unconscious', 'fainted', 'passed out', 'someone/man/woman/person/he/she/grandma/grandpa/mother/father/child/boy/girl ~2 collapsed', 'not breathing', 'stopped breathing', 'heart attack', 'stroke', 'seizure', 'overdose', 'in labour', 'in labor', 'choking') },
  { id: 'medical.breathing', kind: 'medical', strength: 'soft', re: re('khó_thở', 'không ~1 thở ~1 được'), unless: re('khói/bụi/mùi ~4 khó_thở', 'khó_thở ~4 khói/bụi/mùi') },
  { id: 'medical.shock', kind: 'medical', strength: 'hard', re: re('bị ~1 điện giật', 'điện giật ~2 ' + PERSON, '=giật chết', 'bị =giật ~1 điện', 'electrocuted', 'electric shock') },
  { id: 'medical.accident', kind: 'medical', strength: 'soft', re: re(`tai_nạn ~4 ${PERSON}/nặng/máu/nằm/bị_thương/chết/nghiêm_trọng/bất_tỉnh/cấp_cứu`, 'vừa ~2 tai_nạn', 'đang ~2 tai_nạn', 'xe ~2 tông/=đâm/húc/đụng/cán ~3 người', 'tông/=đâm/húc/đụng/cán ~1 người', `${PERSON} ~2 bị ~1 xe ~1 tông/=đâm/húc/đụng/cán`, 'bị ~1 xe ~1 tông/=đâm/húc/đụng/cán ~3 chết/bị_thương/nặng/bất_tỉnh/máu', 'accident ~4 injured/hurt/bleeding/lying/dead/serious/ambulance', 'hit by a car/truck/motorbike/bus', 'run over', 'car crash', 'crash ~3 injured/hurt/people') },
  { id: 'medical.poison', kind: 'medical', strength: 'soft', re: re('ngộ_độc ~4 đang/nhiều/cấp_cứu/nôn/nôn_mửa/co_giật/bất_tỉnh/nặng', 'đang ~2 ngộ_độc', 'uống nhầm', 'tự_tử', 'poisoned', 'poisoning ~3 now/many/vomiting', 'suicide') },
  { id: 'medical.ambulance', kind: 'medical', strength: 'soft', re: re('cần/gọi/gửi/kêu/điều ~1 xe ~1 cấp_cứu/cứu_thương', 'cần/gọi ~1 cấp_cứu', 'cấp_cứu gấp', 'cần bác_sĩ', 'send ~1 an ~1 ambulance', 'need/call ~1 an ~1 ambulance', 'need ~1 a ~1 doctor') },

  // ---- generic cries for help (kind from the rest of the message)
  { id: 'help.cry', kind: 'rescue', strength: 'hard', re: re('cứu với', 'cứu tôi/em/mình/tui/con/cháu/chúng_tôi/bọn_tôi/mẹ/bố/ba/anh/chị/người', 'cứu ~1 với', 'cứu cứu', 'cứu mạng', 'cứu ~1 gấp', 'cứu ~1 nhanh/mau', 'help help', 'sos', 'save me', 'someone help', 'somebody help', 'mayday', 'help us ~3 trapped/dying/drowning/fire', 'help ~2 dying') },
];

// ---------------------------------------------------------------------------------------------
// Guards

/** Questions about the numbers themselves, or about what to do "if": FAQ khẩn cấp, not an emergency. */
const NUMBER_QUESTION = re(
  'số/sđt/số_điện_thoại/hotline/đường_dây/đầu_số/tổng_đài ~4 gì/nào/mấy/bao_nhiêu/là/gọi/của',
  'gọi ~1 số ~1 nào/gì/mấy', 'gọi ~1 ai', 'gọi ~1 đâu', 'gọi ~1 đi_đâu', 'liên_hệ ~1 ai/đâu',
  '113/114/115/112 ~2 là/gì/số/dùng/gọi/khi/để', 'gọi ~1 113/114/115/112 ~2 khi/lúc/trường_hợp/được_không/có_mất',
  'what/which ~3 number/numbers', 'number ~3 for/to_call', 'who ~2 call', 'emergency numbers', 'phone number',
);
const HYPOTHETICAL = re(
  'nếu', 'lỡ', 'lỡ_như', 'giả_sử', 'khi ~3 thì', 'trường_hợp', 'phải ~1 làm ~1 gì ~1 khi', 'làm_sao ~1 khi', 'cần ~1 làm ~1 gì ~1 khi',
  'if', 'in case', 'what ~1 to ~1 do ~2 if/when/in', 'what should', 'how do i report', 'what happens',
  'kỹ_năng', 'hướng_dẫn', 'cách ~2 thoát/xử_lý/sơ_cứu/phòng', 'phòng_cháy', 'phòng_chống', 'chữa_cháy', 'pccc', 'phòng_ngừa',
  'diễn_tập', 'tập_huấn', 'báo ~1 giả', 'báo_cháy ~1 giả', 'false alarm', 'fire drill', 'drill', 'fire safety', 'extinguisher',
  'bình chữa_cháy', 'thiết_bị', 'phim', 'game', 'truyện', 'tin_tức', 'bài_báo', 'báo_chí', 'news', 'movie',
);
/** Risk, habit or past: a report or a story, not danger now ("hay xảy ra tai nạn", "cây sắp đổ", "hôm qua"). */
const NOT_NOW = re(
  'nguy_cơ', 'có_thể', '=dễ', 'dễ_gây', 'hay', 'thường', 'thường_xuyên', 'nhiều vụ', 'nhiều lần', '=sắp', '=sợ', 'tiềm_ẩn', 'gây nguy_hiểm', 'nguy_hiểm ~2 cho',
  'hôm_qua', 'hôm_trước', 'tuần_trước', 'tháng_trước', 'năm_ngoái', 'năm_trước', 'đã ~2 dập_tắt', 'đã ~1 xong', 'đã ~1 được ~1 cứu',
  'risk', 'could', 'might', 'often', 'always', 'keeps', 'yesterday', 'last week', 'last month', 'last year', 'ago', 'about to',
);
/** It is over: even hard rules stand down ("bị cướp tháng trước"), unless the message says it is still going on. */
const PAST = re(
  'hôm_qua', 'hôm_trước', 'hôm_bữa', 'bữa_trước', 'tuần_trước', 'tháng_trước', 'năm_ngoái', 'năm_trước', 'mấy hôm trước', 'đã ~2 dập_tắt',
  'yesterday', 'last week', 'last month', 'last year', 'ago',
);
/** Saying it is happening now beats the number, hypothetical and not-now guards (not the false-alarm one). */
const NOW = re(
  'đang', 'vừa', 'vừa_mới', '=ngay', 'vẫn', 'vẫn còn', 'tới giờ', 'đến giờ', 'still', 'ngay bây_giờ', 'bây_giờ', 'lúc_này', '=gấp', 'khẩn_cấp', 'nhanh_lên', 'mau_lên', 'cứu với', 'cứu tôi', 'giúp với',
  'now', 'right now', 'hurry', 'urgent', 'asap', 'quickly',
);
const FALSE_ALARM = re('báo ~1 giả', 'báo_cháy ~1 giả', 'false alarm', 'diễn_tập', 'fire drill', 'drill');

const KIND_PRIORITY: readonly EmergencyKind[] = ['gas', 'fire', 'rescue', 'police', 'medical'];

/** The "mixed" form patterns run on (see the module comment). */
export function mixedForm(n: Normalised): string {
  // "dang ky" typed without marks is đăng ký, never "đang" (now).
  return n.tokens
    .map((t) => (t.marked ? t.accented : t.folded))
    .join(' ')
    .replace(/(^| )dang (?=ky|ki)/g, '$1đăng ');
}

/**
 * Runs the rule layer on a normalised message.
 */
export function detectEmergency(n: Normalised): EmergencyVerdict {
  const text = mixedForm(n);
  const fired: Rule[] = [];
  for (const rule of RULES) {
    if (rule.re.test(text) && !(rule.unless && rule.unless.test(text))) fired.push(rule);
  }
  const kindHint = pickKind(fired);
  const now = NOW.test(text) || n.hasExclamation;
  // Guards are computed even when no rule fired: they also take the emergency label away from the
  // statistical model ("diễn tập phòng cháy chữa cháy" is full of emergency words).
  let guarded: string | null = null;
  if (FALSE_ALARM.test(text)) guarded = 'false-alarm';
  else if (!now && NUMBER_QUESTION.test(text)) guarded = 'number-question';
  else if (!now && HYPOTHETICAL.test(text)) guarded = 'hypothetical';
  else if (!now && PAST.test(text)) guarded = 'past';
  else if (!fired.some((r) => r.kind === 'fire') && FIRE_UNLESS.test(text)) guarded = 'figurative';
  else if (!now && fired.every((r) => r.strength === 'soft') && NOT_NOW.test(text)) guarded = 'not-now';
  if (fired.length === 0 || guarded !== null) return { match: null, guarded, kindHint };
  return {
    match: { kind: kindHint ?? 'rescue', strength: fired.some((r) => r.strength === 'hard') ? 'hard' : 'soft', rules: fired.map((r) => r.id) },
    guarded: null,
    kindHint,
  };
}

function pickKind(fired: readonly Rule[]): EmergencyKind | null {
  const specific = fired.filter((r) => r.id !== 'help.cry');
  if (specific.length === 0) return fired.length > 0 ? 'rescue' : null;
  const counts = new Map<EmergencyKind, number>();
  for (const r of specific) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  let best: EmergencyKind | null = null;
  let bestCount = 0;
  for (const k of KIND_PRIORITY) {
    const c = counts.get(k) ?? 0;
    if (c > bestCount) {
      best = k;
      bestCount = c;
    }
  }
  return best;
}
