/**
 * High-recall emergency rules. They run before the statistical model: a danger-now message must never
 * become a report or an FAQ answer, whatever the classifier thinks.
 *
 * Patterns run on the "mixed" form of a message: every token with marks is written as its accented key
 * (`cháy` → `chays`, tone as a trailing letter) and every unmarked token as typed. A word written
 * `w('cháy')` matches `chays` and `chay`, but not `chayj` (chạy, to run) or `chayr` (chảy, to flow):
 * diacritics decide when present, and context decides when they are absent.
 *
 * Two kinds of rules: keywords ("cháy", "đuối nước", "cướp") and situations, told as what is
 * happening rather than named: a hazard and people in it ("nước dâng tới mái, bà tôi không đi được",
 * "smoke is filling the stairwell and people are shouting"), someone down and not responding, a
 * collapse with people under it, a fall from a height, poison swallowed, violence under way.
 *
 * Guards keep out what only looks like an emergency: questions about the numbers ("số cứu hỏa là gì"),
 * false alarms and drills, "nếu có cháy thì…" and how-to questions, the past ("bị cướp tháng trước"),
 * habits ("đoạn sông này hay có người đuối nước"), things that nearly happened ("suýt tông"), risks
 * ("cây sắp đổ", "nguy cơ cháy"), the aftermath as the background of a question about papers ("nhà
 * bị cháy hết giấy tờ, làm lại sổ đỏ"), animals, and figurative uses ("cháy hàng"). Saying it is
 * happening now ("đang", "vừa", "cứu với", "from last night", "!") beats most guards. A guard also
 * takes the emergency label away from the statistical model.
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
  /** Each of these must also match somewhere in the message, in any order (a situation: a hazard and people in it). */
  readonly with?: readonly RegExp[];
}

/** Things, not people, that fall, sink or get stuck ("điện thoại rơi xuống cống", "thẻ ATM bị kẹt", "the road is sinking"). */
const THING_NOT_PERSON = re(
  'điện_thoại/chìa_khóa/ví/bóp/dép/giày/túi/đồ/thẻ/tiền/sạc/xe_đạp/card/atm/phone/keys/wallet/bag/road/pavement/ground/street/floor/bridge ~3 rơi/rớt/lọt/kẹt/chìm/fell/stuck/sinking',
  'kẹt ~3 máy_atm/atm/máy', 'mắc_kẹt ~3 sân_bay/nước_ngoài/ga/bến_xe/thủ_tục', 'stranded', 'sinking ~2 road/pavement/ground/street',
  'rút ~3 tiền/sạc/hồ_sơ', 'không ~1 rút ~1 ra ~1 được ~1 tiền',
);
/** Things, not people, carried off by water ("cầu tạm bị nước cuốn mất một đoạn"). */
const SWEPT_OBJECT = re('cầu/đường/nhà/xe/đồ_đạc/hàng_hóa/tài_sản/hoa_màu/lúa/chuồng/cây/mái/ghe/thuyền/đoạn ~3 bị ~1 nước/lũ ~2 cuốn/cuốn_trôi', 'cuốn ~1 mất ~2 đoạn/cầu/nhà/xe', 'lũ ~1 cuốn ~1 trôi ~1 nhà/cầu/xe/tài_sản/hoa_màu/chuồng');
/** English words for a person (subjects of "is not responding" and the like; never "the website"). */
const EN_PERSON = 'he/she/him/her/someone/somebody/man/woman/child/baby/kid/grandma/grandpa/grandmother/grandfather/father/mother/dad/mum/mom/friend/husband/wife/son/daughter/person/boy/girl/neighbour/neighbor/brother/sister/uncle/aunt/they';
const PERSON = 'người/ai/em_bé/bé/cháu/trẻ/con/ông/bà/cụ/mẹ/bố/ba/cha/vợ/chồng/anh/chị/em/bạn/tôi/mình/nó/hắn/họ/công_nhân/thợ/học_sinh/đứa/khách';
/** Figurative or harmless uses of cháy (sunburn, sold out, burnt rice, a burnt-out bulb, fire prevention). */
const FIRE_UNLESS = re(
  'máy/mô_tơ/motor/tivi/tủ_lạnh/quạt/nồi/bếp_điện/điều_hòa/máy_lạnh/máy_bơm/bóng/sạc/ổ_cắm/laptop/điện_thoại ~3 bị ~2 cháy', 'cháy ~1 mô_tơ/motor/tivi/quạt/sạc/ổ_cắm/máy_bơm',
  'bảo_hiểm ~2 hỏa_hoạn/cháy_nổ/cháy', 'xì_gà', 'hút ~1 xì ~1 ga', 'burning ~1 smell', 'smell ~2 burning', 'fire ~1 insurance',
  'đốt ~1 đồng/rơm/rạ/cỏ/lá/rác ~4 cháy ~2 lan ~2 sang ~2 ruộng/bờ/vườn/đồng/bãi', 'cháy ~1 rác', 'đám ~1 cháy ~1 rác', 'rubbish/trash/bin ~3 fire', 'fire ~3 rubbish/trash/bin', 'cháy nắng/hàng/vé/túi/bỏng/hết_mình/máy_tính/phim/sạch/da/bóng/cầu_chì', 'cơm/xém/phòng/chữa/chống cháy', 'bóng ~1 đèn ~1 cháy', 'bóng ~1 cháy', 'burning rubbish/trash/garbage/leaves/tyres/tires/plastic/straw/waste/fields/incense', 'burn/burns rubbish/trash/garbage/leaves/plastic');
const PLACE_FIRE = 'nhà/rừng/chợ/kho/xưởng/quán/tiệm/căn_hộ/chung_cư/phòng/trọ/khách_sạn/cửa_hàng/tòa_nhà/công_ty/nhà_máy/bếp/cây_xăng/đống/lớn/dữ_dội/ngùn_ngụt/rồi/to/trụ_điện/cột_điện/dây_điện/tủ_điện/công_tơ/đồng_hồ_điện';

const RULES: readonly Rule[] = [
  // ---- fire
  {
    id: 'fire.chay-marked', kind: 'fire', strength: 'soft',
    re: re('=cháy'),
    unless: FIRE_UNLESS,
  },
  { id: 'fire.chay-context', kind: 'fire', strength: 'soft', re: re(`cháy ~1 ${PLACE_FIRE}`, 'bị/vụ/đám/bốc/ngọn cháy', 'xe ~2 bốc/bị cháy', 'cháy nổ ~1 lớn'), unless: FIRE_UNLESS },
  { id: 'fire.dang-chay', kind: 'fire', strength: 'hard', re: re('=cháy ~2 rồi', 'đang cháy ~1 ' + PLACE_FIRE, 'đang bốc cháy', 'bốc cháy', 'cháy lớn', 'cháy dữ_dội', 'cháy rồi', 'cháy to', 'cháy ngùn_ngụt'), unless: FIRE_UNLESS },
  { id: 'fire.hoa-hoan', kind: 'fire', strength: 'soft', re: re('hỏa_hoạn', 'hoả_hoạn') },
  { id: 'fire.lua', kind: 'fire', strength: 'soft', unless: re('pô/bô/xe/pháo/pháo_hoa ~3 =nổ', '=nổ ~1 pô/bô/máy'), re: re('lửa bùng/bốc/cháy/lan/lớn/to/ngùn_ngụt/liếm', 'ánh ~1 lửa', 'lửa ~1 đỏ', 'bốc/bắt lửa', 'có lửa ~2 cháy/lớn/bùng', 'khói ~2 lửa', 'phát_nổ', '=nổ lớn/to/tung', 'tiếng =nổ', 'nổ tung', 'chập điện ~2 cháy/lửa/khói') },
  {
    id: 'fire.en', kind: 'fire', strength: 'soft',
    re: re('fire', 'on fire', 'burning', 'flames', 'blaze', 'explosion', 'exploded', 'smoke ~5 house/building/window/apartment/flat/kitchen/roof'),
    unless: re('fire station/stations/department/brigade/service/services/alarm/alarms/hydrant/exit/exits/escape/truck/trucks/safety/extinguisher/prevention/inspection/number/hazard/risk', 'burning rubbish/trash/garbage/leaves/tyres/tires/plastic/straw/waste/fields/incense'),
  },

  // ---- gas
  { id: 'gas.leak', kind: 'gas', strength: 'hard', re: re('rò/rò_rỉ/xì/hở/rỉ ~1 gas/ga/khí', 'mùi gas/ga/khí_gas', 'bình gas/ga ~4 rò/xì/nổ/cháy/hở', 'xì ~1 gas/ga', 'mùi gas/ga ~3 nồng/nặng', 'khí_đốt/ống_gas/ống_ga ~2 rò/rò_rỉ/xì/hở/vỡ', 'gas ~3 leak/leaking/leaks', 'smell/smells/smelling ~2 gas', 'gas ~1 smell', 'gas ~2 leaking', 'leaking ~2 gas', 'khí độc'), unless: re('=xì =gà', 'xì_gà', 'hút ~1 xì ~1 ga', 'khí_thải', 'khí ~1 thải', 'khí_độc ~4 bãi_rác/nhà_máy/xưởng/lò/cống/rác', 'bãi_rác/nhà_máy/xưởng/lò/cống/rác/sewer/drain/rubbish ~6 khí_độc/gas/khí', 'nhà ~1 ga', 'sân ~1 ga', 'gas/khí ~4 cống/sewer/drain/rubbish/bãi_rác',
    // Typed without marks, "ho ga" is hở ga (a leak) or hố ga (a manhole): the manhole's words decide.
    'nắp/miệng ~1 hố_ga', 'hố_ga ~3 mất/vỡ/sụt/lún/tắc/nghẹt/bể/hỏng/nắp/tràn/kênh/sâu/lộ_thiên/không_có', 'manhole') },

  // ---- rescue
  { id: 'rescue.trapped', kind: 'rescue', strength: 'hard', re: re('mắc_kẹt', 'hành_khách/người/công_nhân/tài_xế/nạn_nhân/passengers/driver/people ~3 bị/are/is ~1 kẹt/trapped/stuck', 'xe ~3 lật ~4 kẹt/người/bị_thương', 'bị kẹt ~2 trong/thang_máy/dưới/giữa/không_ra', 'kẹt trong/dưới', 'kẹt thang_máy', 'trapped', 'stuck in/inside ~2 lift/elevator/car/house/building/rubble/flood/water', 'stuck ~1 in ~1 the ~1 lift/elevator'), unless: new RegExp(`${re('kẹt xe').source}|${THING_NOT_PERSON.source}`) },
  { id: 'rescue.drowning', kind: 'rescue', strength: 'hard', unless: new RegExp(`${SWEPT_OBJECT.source}|${THING_NOT_PERSON.source}`), re: re('đuối_nước', 'chết_đuối', 'bị đuối', 'sắp chìm', 'bị chìm', 'nước cuốn/cuốn_trôi', 'lũ cuốn', 'bị cuốn trôi', 'chới_với', 'lật thuyền/ghe/xuồng/đò', 'thuyền/ghe/xuồng/đò ~2 bị ~1 lật/chìm', 'drowning', 'drowned', 'swept away', 'boat/ship/ferry/canoe/dragon_boat/we/they/i ~3 sinking', 'capsized') },
  { id: 'rescue.fall', kind: 'rescue', strength: 'hard', unless: THING_NOT_PERSON, re: re(`rơi/té/ngã/rớt/lọt/nhảy ~1 xuống sông/hồ/giếng/hố/cống/biển/vực/kênh/mương/ao`, 'nhảy cầu', 'định/đòi/muốn nhảy ~3 lầu/tầng/cầu/xuống/sông', 'nhảy từ ~3 tầng/lầu/cầu/sân_thượng', 'fell into/in/off ~2 river/well/hole/lake/sea/canal/drain/bridge', 'fallen into ~2 river/well/hole/lake', 'jump/jumped/jumping off ~2 bridge') },
  { id: 'rescue.collapse', kind: 'rescue', strength: 'hard', re: re(`=sập ~3 ${PERSON}/đè/vùi/bên_trong`, 'nhà/tường/cầu/mái/công_trình/giàn_giáo =sập ~3 =đè/người/=vùi', 'bị/đã/vừa/đổ sập ~3 =đè/người/=vùi/kẹt/bên_trong/trong', '=đè/=vùi ~1 ' + PERSON, '=đè lên ~2 ' + PERSON, '=vùi lấp', 'sạt_lở ~3 =vùi/lấp/=đè/cuốn/sập', `đổ ~1 =đè ~2 ${PERSON}`, 'bị vùi', 'collapsed ~3 people/someone/inside/trapped', 'collapsed on ~2 ' + EN_PERSON, 'buried', 'crushed'), unless: re('cemetery/grave/graves/graveyard/tomb/funeral/burial', 'crushed ~1 stone/ice/rock/glass/gravel') },
  { id: 'rescue.isolated', kind: 'rescue', strength: 'soft', re: re('bị ~2 cô_lập', 'nước lên ~2 nóc/mái', 'lũ ~2 nóc/mái') },
  { id: 'rescue.cannot-leave', kind: 'rescue', strength: 'hard', with: [re('cháy/khói/lửa/nước/lũ/ngập/sập/kẹt/khóa/nhốt/đổ/fire/smoke/water/flood/locked/collapsed')], re: re('tôi/mình/chúng_tôi/bọn_tôi/cả_nhà/mọi_người/người_già/ông/bà/mẹ/con ~3 không ~1 thoát/ra ~2 được', 'không ~1 thoát ~1 ra ~1 ngoài ~1 được', 'we/i ~3 cannot/can\'t/cant/couldn\'t get ~1 out', 'no way out') },

  // ---- police
  { id: 'police.robbery', kind: 'police', strength: 'hard', re: re('cướp', 'cướp_giật', '=giật ~2 đồ/túi/điện_thoại/dây_chuyền/ví/bóp/xe', 'robbery', 'robbed', 'robbing', 'mugged', 'mugging', 'snatched'), unless: re('cướp biển', 'cướp ~1 lời', 'cướp ~1 đất', 'cướp ~1 công', 'phòng/chống cướp', 'tranh/giành ~1 cướp/giật', 'cướp ~1 khách', 'feel ~1 robbed', 'robbed ~3 price/prices/charged', 'daylight ~1 robbery') },
  { id: 'police.theft-now', kind: 'police', strength: 'hard', re: re('đang ~2 trộm', 'trộm ~1 đang', 'có trộm', 'bắt trộm', 'vừa ~2 trộm', 'trộm ~1 vào/vô ~1 nhà', 'đột_nhập', 'burglar', 'burglary', 'break/breaking/broke in/into', 'thief ~2 now/here/inside', 'stealing ~6 now/right', 'someone/somebody/man/men ~2 is/are ~1 stealing') },
  {
    id: 'police.weapon', kind: 'police', strength: 'hard',
    re: re('dao/mã_tấu/=kiếm/súng/hung_khí/gậy_gộc/tuýp ~3 đánh/chém/đâm/đuổi/dọa/truy_sát', 'đánh/chém/đâm/đuổi/dọa ~3 dao/mã_tấu/=kiếm/súng/hung_khí/gậy/tuýp', 'chém/=đâm người', 'bị chém', 'bị đâm', 'đâm/chém nhau', 'nổ súng', '=bắn nhau', '=bắn người', 'knife', 'knives', 'gun', 'guns', 'shooting', 'shot', 'stabbed', 'stabbing', 'machete', 'machetes'),
    unless: re('xe ~3 đâm/tông', 'đâm ~2 xe/cột/tường/gốc/cây/lan_can/dải_phân_cách/cột_điện', 'đâm ~1 đơn', 'photo/screen/took/take/a ~2 shot/shots', 'shot ~1 of', 'photo ~1 shoot/shooting', 'water/glue ~1 gun'),
  },
  { id: 'police.fight-serious', kind: 'police', strength: 'soft', re: re('đánh_nhau/ẩu_đả/hỗn_chiến ~4 máu/bị_thương/chết/dao/đông/nghiêm_trọng/to/lớn/dữ', 'đang ~2 đánh_nhau/ẩu_đả/hỗn_chiến', 'đang ~2 đánh người', 'hỗn_chiến', 'đánh hội_đồng', 'đánh ~1 người ~2 máu/chết/bất_tỉnh', 'fight/fighting/brawl ~4 knife/knives/blood/bleeding/weapons/injured/hurt/now', 'people ~1 fighting ~2 now') },
  { id: 'police.abduction', kind: 'police', strength: 'hard', re: re('bắt_cóc', 'dọa/đe_dọa/đòi ~1 giết', 'giết người', '=hiếp', 'hiếp_dâm', 'xâm_hại', 'bạo_hành ~2 đang', 'đang ~2 bạo_hành', 'đánh vợ/con/mẹ ~2 dã_man', 'kidnap', 'kidnapped', 'kidnapping', 'abducted', 'attacking', 'assaulted', 'threatening ~2 kill') },

  // ---- medical
  { id: 'medical.injury', kind: 'medical', strength: 'soft', unless: re('ghế/bàn/giường/kệ/tủ/cột/ghế_đá ~4 gãy ~1 chân'), re: re('bị_thương', 'chảy ~1 máu', 'mất ~1 máu', 'máu ~1 chảy', 'gãy chân/tay/cổ', 'bị ~1 rắn/chó_dại cắn', 'snake ~1 bite/bit', 'bitten ~2 snake', 'injured', 'injuries', 'bleeding', 'hurt ~2 badly', 'badly hurt', 'broken leg/arm/neck') },
  { id: 'medical.collapse', kind: 'medical', strength: 'hard', unless: re('khói/bụi/mùi/hôi ~6 không ~1 thở'), re: re('=ngất', 'ngất_xỉu', '=xỉu', 'bị xỉu', 'xỉu ~1 rồi/luôn/ngang', 'bị ngất', 'bất_tỉnh', 'hôn_mê', 'đột_quỵ', 'co_giật', 'nằm gục', 'đầy máu', 'máu me', 'treo cổ', 'sắp/đang =đẻ', '=đẻ rơi', 'chuyển_dạ ~1 đẻ', 'sốc thuốc', 'ngừng thở', 'không thở', 'tắt thở', 'lên cơn', 'lên cơn đau tim', 'bị đau tim', 'đau ngực', 'sốc phản_vệ', 'trụy tim', 'ngừng tim', 'chuyển_dạ', 'vỡ ối', 'đau =đẻ', 'đau_đẻ ~1 rồi', 'unconscious', 'fainted', 'passed out', 'someone/man/woman/person/he/she/grandma/grandpa/mother/father/child/boy/girl ~2 collapsed', 'not breathing', 'stopped breathing', 'heart attack', 'stroke', 'seizure', 'overdose', 'in labour', 'in labor', 'choking') },
  { id: 'medical.breathing', kind: 'medical', strength: 'soft', re: re('khó_thở', 'không ~1 thở ~1 được'), unless: re('khói/bụi/mùi ~4 khó_thở', 'khó_thở ~4 khói/bụi/mùi') },
  { id: 'medical.shock', kind: 'medical', strength: 'hard', unless: re('giật ~1 nhẹ', 'tê ~1 tê'), re: re('bị ~1 điện giật', 'điện giật ~2 ' + PERSON, '=giật chết', 'bị =giật ~1 điện', 'electrocuted', 'electric shock') },
  { id: 'medical.accident', kind: 'medical', strength: 'soft', re: re(`tai_nạn ~4 ${PERSON}/nặng/máu/nằm/bị_thương/chết/nghiêm_trọng/bất_tỉnh/cấp_cứu`, 'vừa ~2 tai_nạn', 'đang ~2 tai_nạn', 'xe ~2 tông/=đâm/húc/đụng/cán ~3 người', 'tông/=đâm/húc/đụng/cán ~1 người', `${PERSON} ~2 bị ~1 xe ~1 tông/=đâm/húc/đụng/cán`, 'bị ~1 xe ~1 tông/=đâm/húc/đụng/cán ~3 chết/bị_thương/nặng/bất_tỉnh/máu', 'accident ~4 injured/hurt/bleeding/lying/dead/serious/ambulance', 'someone/man/woman/person/child/kid/boy/girl/he/she/people/pedestrian/rider/cyclist ~3 hit ~1 by', 'run over', 'car crash', 'crash ~3 injured/hurt/people') },
  { id: 'medical.poison', kind: 'medical', strength: 'soft', re: re('ngộ_độc ~4 đang/nhiều/cấp_cứu/nôn/nôn_mửa/co_giật/bất_tỉnh/nặng', 'đang ~2 ngộ_độc', 'uống nhầm', 'tự_tử', 'poisoned', 'poisoning ~3 now/many/vomiting', 'suicide') },
  { id: 'medical.ambulance', kind: 'medical', strength: 'soft', re: re('cần/gọi/gửi/kêu/điều ~1 xe ~1 cấp_cứu/cứu_thương', 'cần/gọi ~1 cấp_cứu', 'cấp_cứu gấp', 'cần bác_sĩ', 'send ~1 an ~1 ambulance', 'need/call ~1 an ~1 ambulance', 'need ~1 a ~1 doctor') },

  // ---- generic cries for help (kind from the rest of the message)
  { id: 'help.cry', kind: 'rescue', strength: 'hard', unless: re('sơ_cứu', 'cứu_hộ ~1 xe'), re: re('cứu với', 'cứu tôi/em/mình/tui/con/cháu/chúng_tôi/bọn_tôi/mẹ/bố/ba/anh/chị/người', 'cứu ~1 với', 'cứu cứu', 'cứu mạng', 'cứu ~1 gấp', 'cứu ~1 nhanh/mau', 'help help', 'sos', 'save me', 'someone help', 'somebody help', 'mayday', 'help us ~3 trapped/dying/drowning/fire', 'help ~2 dying') },
];


// ---------------------------------------------------------------------------------------------
// Situations: danger told as what is happening rather than with an emergency word ("nước dâng tới
// mái, bà tôi không đi được", "he fell and is not responding"). Most are a hazard AND people in it,
// so that "nước ngập đường" (a drainage report) or "khói đốt rác bay vào nhà" (pollution) stay reports.

/** Water that is rising, surrounding or sweeping: the hazard of a flood emergency. */
const WATER_DANGER = re(
  'nước/lũ/lụt ~3 dâng/lên ~3 nhanh/cao/tới/đến/ngang/lút/quá/mãi/hoài/nữa/tiếp/dữ/ào_ào/gần',
  'nước/lũ ~1 đang ~1 dâng/lên', 'nước/lũ ~1 dâng', 'dâng ~1 lên',
  'ngập/lút/ngập_lút/ngập_sâu ~3 tới/đến/ngang/quá/qua/hết/lút ~1 ngực/cổ/bụng/nóc/mái/trần/cửa_sổ/đầu/tầng/gác/lưng/eo/nách/nhà/người',
  'ngập ~1 nóc/mái/trần/gác/tầng', 'lút/ngập_lút ~2 tầng/nhà/mái/nóc/đầu',
  'tràn ~1 vào/vô ~1 nhà/phòng', 'tràn qua ~1 đê', 'vỡ đê', 'lũ về', 'lũ quét', 'lũ ống', 'nước ~1 chảy_xiết', 'chảy_xiết',
  'nước/lũ ~1 bao_vây', 'bị ~1 nước/lũ ~1 bao_vây/cô_lập/vây', 'cô_lập', 'lũ/nước ~2 cuốn', 'ngập ~1 trắng',
  'water/flood/floodwater/floods/river ~3 rising/risen/rose/rises/coming/came/come/pouring/pours/up', 'rising ~1 water/waters/flood/river', 'still ~1 rising', 'water ~4 into ~2 house/room/ground/home',
  'flood/flooded/flooding/water ~5 roof/chest/neck/waist/ceiling/upstairs/door/window',
  'cut ~1 off ~2 by ~2 flood/floods/water', 'under ~1 water', 'surrounded ~2 by ~2 water/flood',
);
/** People who cannot get away, or a call for someone to come. */
const PEOPLE_STUCK = re(
  'kẹt/mắc_kẹt', 'không/chưa ~2 ra/xuống/thoát_ra/chạy/đi/di_chuyển/ra_ngoài/sơ_tán/di_dời ~2 được/kịp',
  'không/chưa ~1 kịp ~1 di_dời/sơ_tán/chạy/ra', 'không ~2 đi_lại/đi/đứng/bơi ~1 được', 'không ~1 có ~1 ghe/thuyền/xuồng/đường',
  'leo/trèo/đứng/ngồi/trú/ở/bám ~3 mái/nóc/gác/lầu/trên_mái/tầng_hai/tầng_2/cây/bàn', 'kêu ~1 cứu', 'kêu_cứu', 'cứu', 'cứu_hộ', 'cứu_nạn',
  'cần/gửi/đưa/cho/xin ~3 ghe/thuyền/xuồng/người/cano ~2 đến/tới/cứu/giúp', 'có ~1 người_già/trẻ_nhỏ/trẻ_em/em_bé/bà_bầu/người_bệnh/cụ_già/con_nít', 'bà_bầu/trẻ_nhỏ/em_bé/người_già/cụ_già/ông_bà/con_nít/người_bệnh',
  'stuck', 'trapped', 'cut off', 'we', 'us', 'our ~2 neck/necks/chest/waist/knees', 'can_t/cannot/couldn_t ~2 get ~1 out/away/down', 'can_t/cannot ~1 walk/move/swim/leave/escape',
  'on ~1 the ~1 roof', 'upstairs', 'need ~2 rescue/rescuing/boat', 'help', 'rescue', 'calling ~2 help', 'elderly', 'baby', 'toddler',
);
const SMOKE = re(
  'khói ~3 đen/mù_mịt/dày/đặc/đầy/tràn/bốc/ùn_ùn/cuồn_cuộn/nghi_ngút/kín/lên/mịt_mù/um',
  'đầy/ngập/kín ~1 khói', 'lửa ~3 lan/bùng/bén/bao_trùm', 'cháy lan',
  'smoke ~3 filling/pouring/coming/everywhere/thick/billowing/full/rising/spreading', 'thick/black/heavy ~1 smoke', 'full ~1 of ~1 smoke', 'filling ~2 with ~1 smoke',
  'flames',
);
const INDOOR = re(
  'nhà/phòng/căn_hộ/chung_cư/hành_lang/cầu_thang/tầng/lầu/trọ/khách_sạn/ban_công/cửa_sổ/bếp/tòa_nhà/bên_trong',
  'apartment/room/corridor/hallway/stairwell/stairs/building/hotel/house/flat/floor/upstairs/door/window/kitchen/inside',
);
const PEOPLE_IN_DANGER = re(
  'kêu ~1 cứu', 'kêu_cứu', 'la_hét', 'la ~1 hét', 'tiếng ~1 người ~1 la/kêu', 'bên_trong', 'còn ~3 trong/bên_trong/ở_trong', 'kẹt/mắc_kẹt',
  'không ~2 xuống/ra/thoát/chạy ~2 được', 'đang ~1 ngủ', 'inside', 'calling/screaming/shouting/crying ~2 help/for', 'banging', 'trapped', 'stuck',
  'can_t/cannot/couldn_t ~2 get ~1 out/down', 'still ~2 inside/in', 'someone ~2 inside', 'people ~2 inside',
);

const SITUATION_RULES: readonly Rule[] = [
  { id: 'situation.flood-people', kind: 'rescue', strength: 'hard', re: WATER_DANGER, with: [PEOPLE_STUCK] },
  { id: 'situation.under-water', kind: 'rescue', strength: 'hard', re: re('cả ~1 làng/xóm/thôn/khu ~3 chìm ~2 trong ~1 nước/lũ/biển_nước', 'whole ~1 village/town ~3 under ~1 water') },
  { id: 'situation.smoke-people', kind: 'fire', strength: 'hard', re: SMOKE, with: [INDOOR, PEOPLE_IN_DANGER], unless: FIRE_UNLESS },
  {
    // Someone down and not responding: collapsed, motionless, cannot be woken, turning blue, choking.
    id: 'situation.unresponsive', kind: 'medical', strength: 'hard',
    re: re(
      'gục ~1 xuống/ngã/tại_chỗ/trên', 'ngã/té ~1 gục/quỵ/xuống ~3 bất_tỉnh/không ~1 dậy', 'đổ gục', 'nằm ~2 bất_động/bất_tỉnh/sõng_soài/gục/co_giật',
      'nằm ~1 im ~3 không', 'bất_động', 'không ~1 cử_động/nhúc_nhích/động_đậy', 'gọi/lay/kêu ~3 không/chẳng/ko ~1 dậy/tỉnh',
      `gọi/lay ~2 ${PERSON} ~3 không ~2 trả_lời/thưa/phản_ứng`, 'gọi/lay/kêu ~1 mãi/hoài ~1 không ~1 dậy/tỉnh/trả_lời/thưa', `${PERSON} ~4 không ~1 phản_ứng`, 'không ~1 tỉnh ~1 lại', 'tím_tái', 'tím ~1 tái', 'mặt ~2 tím/tái_xanh/trắng_bệch',
      'thở ~1 không ~1 đều/được', 'thở ~1 yếu/dốc/khò_khè/hắt', 'sùi ~1 bọt ~1 mép', 'trợn ~1 mắt', 'hóc/mắc_nghẹn/nghẹn/sặc ~3 không ~1 thở', 'hóc ~2 xương/kẹo/đồ/hạt/thạch/đồng_xu',
      'đập ~1 đầu ~4 bất_tỉnh/chảy_máu/nằm/không/máu', 'lịm ~1 đi', 'ngã/té ~3 đập_đầu',
      `${EN_PERSON} ~3 not/isn_t/is_not/s_not ~1 responding/moving/breathing/waking`, `${EN_PERSON} ~2 unresponsive`, `${EN_PERSON} ~2 won_t/will_not/doesn_t/does_not ~1 wake/respond/move`, 'can_t/cannot ~1 wake ~2 him/her/them/up',
      'lying ~3 motionless/still/unconscious/bleeding', 'turning ~1 blue', 'cpr', 'choking', 'doing ~1 cpr', 'went ~1 limp', 'has ~1 a ~1 seizure', 'not ~1 conscious',
    ),
    unless: re('bất_động sản', 'sơ_cứu ~3 như_thế_nào/thế_nào/ra_sao/cách', 'cách ~2 sơ_cứu', 'first ~1 aid ~2 how/course/training'),
  },
  {
    id: 'situation.drowning', kind: 'rescue', strength: 'hard',
    re: re(
      'bị ~1 sóng ~1 kéo/cuốn/đánh/cuốn_trôi', 'sóng ~1 kéo/cuốn/cuốn_trôi ~2 ra', 'nước ~1 cuốn/kéo', 'không/chưa ~1 thấy ~3 nổi/ngoi ~1 lên', 'lặn ~4 chưa/không ~1 thấy ~2 lên/nổi', 'chìm ~1 xuống/nghỉm',
      'nhấp_nhô', 'vùng_vẫy', 'chới_với', 'rơi/té/ngã/rớt/lọt/tuột/trượt/trượt_chân/tuột_chân/lật ~3 xuống ~2 nước/sông/hồ/ao/biển/giếng/kênh/mương/hố/vực/suối/đập',
      'struggling ~2 in ~2 the ~1 water/sea/river/waves/current', 'can_t/cannot ~1 swim', 'went ~1 under ~2 water', 'pulled ~3 by ~2 current/waves/rip', `${EN_PERSON} ~3 swept ~2 out/away`,
      'hasn_t/has_not/didn_t ~2 come/came ~1 up ~3 water/river/lake/sea/pool', 'fell/slipped/jumped ~3 into/in/off ~3 water/river/lake/sea/pool/well/canal/pond/lagoon',
    ),
    unless: new RegExp(`${re('học ~1 bơi', 'swimming ~1 lessons', 'dạy ~2 bơi').source}|${SWEPT_OBJECT.source}|${THING_NOT_PERSON.source}`),
  },
  {
    id: 'situation.collapse', kind: 'rescue', strength: 'hard',
    re: re(
      'nằm/kẹt/mắc_kẹt/bị_kẹt/vùi/đè ~2 dưới ~3 đống/gạch/sắt/bê_tông/đất/đá/xe/tường/mái/giàn_giáo/đổ_nát/cây/dầm',
      `${PERSON}/chân/tay/đầu ~4 không ~1 kéo/lôi/gỡ/rút/nhấc ~2 ra/lên ~1 được`, 'kẹt ~2 bên_trong/trong/dưới', 'bị ~1 kẹt/mắc ~1 đầu/tay/chân/cổ', 'kẹt ~1 đầu/tay/chân ~2 vào/trong/giữa',
      '=đổ_=sập/=sập/bị_sập/đổ_sập_xuống ~3 người/công_nhân/thợ/bên_trong/đè/vùi/kẹt', 'giàn_giáo ~2 =sập/=đổ/bị_sập', 'thang_máy ~4 dừng/kẹt/rơi/mắc ~6 trong/bên_trong/có_người/nhốt',
      'under ~3 rubble/debris/scaffolding/wall/roof/car/truck/collapsed', 'pinned ~3 under/down',
      'head/arm/hand/leg/foot ~2 stuck', 'stuck ~3 head/arm/hand/leg/foot', 'lift/elevator ~3 stopped/stuck ~5 inside/people/someone/woman/man/child',
    ),
    unless: new RegExp(`${re('kẹt xe', 'kẹt ~1 tiền', 'tắc ~1 đường').source}|${THING_NOT_PERSON.source}`),
  },
  {
    id: 'situation.poison', kind: 'medical', strength: 'hard',
    re: re(
      'nuốt/uống/ăn ~1 nhầm/phải ~3 thuốc/pin/xăng/axit/hóa_chất/nước_tẩy/thuốc_chuột/thuốc_trừ_sâu/thuốc_diệt_cỏ',
      'uống/nuốt ~3 thuốc_diệt_cỏ/thuốc_trừ_sâu/thuốc_chuột/thuốc_ngủ/thuốc_sâu/nước_tẩy/axit', 'nuốt ~2 pin/đồng_xu/nam_châm', 'nuốt ~2 viên ~1 thuốc',
      'swallowed/drank/ate ~3 pills/pill/medicine/tablets/bleach/battery/batteries/poison/chemicals/pesticide/detergent',
    ),
  },
  {
    id: 'situation.violence', kind: 'police', strength: 'hard',
    re: re(
      'rượt/đuổi ~3 dao/mã_tấu/=kiếm/rựa/búa/gậy/tuýp/súng', 'vác/cầm ~3 dao/mã_tấu/=kiếm/rựa/súng', 'rượt ~2 chém/đánh/đâm', 'phá ~1 cửa ~3 nhà/vào/vô', 'người_lạ ~3 phá/cạy/trèo/đột_nhập/lẻn', 'dụ_dỗ ~3 trẻ/bé/con/cháu/học_sinh ~3 lên/đi/theo', 'đập_phá ~2 quán/nhà/xe/cửa_hàng',
      'đánh/đập ~2 vợ/chồng/con/mẹ/người/đàn_bà/phụ_nữ/cô_gái/ông_già/bà_già ~5 la/hét/kêu/máu/dã_man/ngất/bất_tỉnh',
      'hitting/beating/punching/kicking/attacking/strangling ~3 wife/woman/man/child/kid/someone/her/him/girl/boy/people', 'screaming ~2 for ~1 help',
      'with ~1 a ~1 knife/gun/machete', 'breaking ~3 door', 'smashing ~3 door/window',
    ),
  },
  {
    id: 'situation.road-victim', kind: 'medical', strength: 'hard',
    re: re(
      'nằm ~3 giữa_đường/dưới_đường/bánh_xe/dưới_bánh ~3 bất_động/máu/chảy_máu/không', 'nằm ~2 dưới ~1 bánh', 'lao ~3 xuống ~2 mương/sông/vực/hố/kênh ~5 kẹt/người/chìm',
      'lying ~3 road/street/ground ~3 bleeding/unconscious/motionless/not', 'bleeding ~1 heavily/badly/a_lot', 'lot ~1 of ~1 blood',
    ),
  },
  {
    id: 'situation.live-wire', kind: 'fire', strength: 'hard',
    re: re('dây/cột/trụ/điện/công_tơ/tủ_điện ~3 tóe ~1 lửa', 'tóe ~1 lửa ~3 dây/điện', 'dây ~1 điện ~2 đứt/rơi/sà/chạm_đất', 'dây ~2 đứt/rơi ~2 xuống', 'sparking', 'sparks', 'live ~1 wire/wires', 'power ~1 line/lines/cable ~3 down/fell/fallen/snapped'),
    unless: re('giật', 'electrocuted', 'shock'),
    with: [re(`${PERSON} ~4 đang/ngay/cạnh/gần/bên/chạm/dưới`, 'người ~2 qua_lại/đi_qua/đứng', 'people/kids/children/someone/pedestrians ~4 near/next/under/playing/walking/touch')],
  },
  {
    // Smoke coming out of a building, or a burning smell with smoke indoors.
    id: 'situation.smoke-building', kind: 'fire', strength: 'hard',
    re: re(
      'khói ~4 ra ~2 từ ~3 phòng/nhà/mái/cửa_sổ/căn_hộ/tầng/lầu/tòa_nhà/kho/cửa_hàng/tiệm/cửa', 'khói ~3 tràn/phụt/ùa ~2 ra/vào ~2 phòng/hành_lang/nhà',
      'mùi ~1 khét ~4 khói', 'khói ~4 mùi ~1 khét',
      'smoke ~4 coming/pouring/billowing ~2 out ~2 of ~3 roof/window/house/building/apartment/flat/room/shop/door', 'smoke ~3 under ~2 door',
    ),
    unless: re('nhà_máy/xưởng/lò/ống_khói/bếp_nướng/lò_nướng/quán_nướng/factory/kiln/chimney/barbecue/bbq', 'đốt ~3 rác/nhựa/rơm/rạ/lá/vàng_mã/đồng', 'bay ~1 vào/sang/qua'),
  },
  {
    // Someone fallen from a height, hanging, or down and unable to get up.
    id: 'situation.fall', kind: 'medical', strength: 'hard',
    re: re(
      'rơi/ngã/té/trượt/rớt ~3 từ ~4 giàn_giáo/mái/tầng/lầu/cây/cột/trên_cao/sân_thượng/ban_công/cầu_thang/thang', `${PERSON} ~8 treo ~1 lơ_lửng`, 'không ~1 đứng ~1 dậy ~1 được',
      'fell/fallen ~3 from/off ~3 roof/scaffolding/balcony/floor/ladder/tree/building/stairs/window', 'fell ~4 can_t/cannot ~2 get ~1 up', 'can_t/cannot ~1 get ~1 up',
    ),
    unless: new RegExp(`${re('gạch/đá/vữa/đồ/cành/ngói/tôn/vật_liệu/bảng/biển/quả/trái ~2 rơi/rớt', 'bricks/tiles/branch/sign ~2 fell').source}|${THING_NOT_PERSON.source}`),
  },
  {
    id: 'situation.body', kind: 'medical', strength: 'hard',
    re: re(
      'méo ~1 miệng', 'nói ~1 không ~1 ra ~1 tiếng', 'nói ~1 ngọng/đớ ~2 đột_ngột/tự_nhiên', 'đau/tức ~1 thắt ~1 ngực', 'tức ~1 ngực ~3 khó_thở/vã', 'vã ~1 mồ_hôi ~3 ngực/khó_thở/lả',
      'vỡ ~1 nước ~1 ối', 'nôn/ói ~2 ra ~1 máu', 'đứt ~1 tay/chân/ngón', 'bỏng ~1 nặng', 'chest ~1 pain/pains', 'face ~2 drooping', 'slurred ~1 speech', 'throwing ~1 up ~1 blood',
      'water/waters ~1 broke', 'badly ~1 burned/burnt', 'severe ~1 burns',
    ),
    unless: re('hay/thường ~2 bị', 'khám ~3 ở_đâu/đâu', 'bảo_hiểm'),
  },
  {
    id: 'situation.electric', kind: 'medical', strength: 'hard',
    re: re('điện ~3 giật ~3 ngã/bất_tỉnh/treo/dính/ngất', '=giật ~3 ngã/bất_tỉnh/treo ~2 lơ_lửng/ngất', 'chạm ~3 dây ~1 điện ~6 giật/ngã/bất_tỉnh', 'bị ~1 giật ~1 ngã/bất_tỉnh/ngất', 'touched ~3 live ~1 wire/cable', 'live ~1 wire ~4 collapsed/fell/touched/shock'),
  },
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
  'nếu', 'lỡ', 'lỡ_như', 'giả_sử', 'khi ~3 thì', 'khi ~2 bị/có/gặp/xảy_ra', 'thì ~1 có ~1 được', 'có_được ~2 hỗ_trợ/bồi_thường/trợ_cấp/đền_bù',
  'có hỗ_trợ/trợ_cấp/cứu_trợ ~5 không', 'any ~1 support/help/assistance', 'học ~1 sơ_cứu/bơi/kỹ_năng', 'lớp/khóa ~2 học/bơi/sơ_cứu/kỹ_năng', 'sơ_cứu', 'phòng ~1 đuối_nước', 'thoát_hiểm', 'an_toàn ~1 không',
  'first ~1 aid', 'training', 'course', 'lessons', 'learn', 'is ~1 it ~1 safe', 'safe ~2 to', 'trường_hợp', 'phải ~1 làm ~1 gì ~1 khi', 'làm_sao ~1 khi', 'cần ~1 làm ~1 gì ~1 khi',
  'if', 'in case', 'what ~1 to ~1 do ~2 if/when/in', 'what should', 'how do i report', 'what happens',
  'kỹ_năng', 'hướng_dẫn', 'cách ~2 thoát/xử_lý/sơ_cứu/phòng', 'phòng_cháy', 'phòng_chống', 'chữa_cháy', 'pccc', 'phòng_ngừa',
  'diễn_tập', 'tập_huấn', 'báo ~1 giả', 'báo_cháy ~1 giả', 'false alarm', 'fire drill', 'drill', 'fire safety', 'extinguisher',
  'bình chữa_cháy', 'thiết_bị', 'phim', 'game', 'truyện', 'tin_tức', 'tin_đồn', 'bài_báo', 'báo_chí', 'news', 'movie', 'rumour', 'rumor',
  'cách ~2 cứu', 'cứu ~4 như_thế_nào/thế_nào/ra_sao', 'cứu_trợ', 'relief',
);
/** Risk, habit or past: a report or a story, not danger now ("hay xảy ra tai nạn", "cây sắp đổ", "hôm qua"). */
const NOT_NOW = re(
  'nguy_cơ', 'có_thể', '=dễ', 'dễ_gây', 'hay', 'thường', 'thường_xuyên', 'nhiều vụ', 'nhiều lần', '=sắp', '=sợ', 'tiềm_ẩn', 'gây nguy_hiểm', 'nguy_hiểm ~2 cho',
  'hôm_qua', 'hôm_trước', 'tuần_trước', 'tháng_trước', 'năm_ngoái', 'năm_trước', 'đã ~2 dập_tắt', 'đã ~1 xong', 'đã ~1 được ~1 cứu',
  'đã/từng ~2 xảy_ra', 'đã ~1 có ~3 tai_nạn/vụ', 'sau ~1 vụ/lần', 'mấy/các/nhiều/vài/zznum ~1 vụ ~5 rồi/trước/năm/tháng/tuần/nay/đây/này', 'liên_tục',
  'risk', 'could', 'might', 'often', 'always', 'keeps', 'yesterday', 'last week', 'last month', 'last year', 'ago', 'about to',
);
/** It nearly happened: a report about a risk ("xe chạy ẩu suýt tông người", "nearly drowned"). */
const NEARLY = re('suýt', 'xém', 'suýt_nữa', 'nearly', 'almost');
/** Fire risk and prevention: "kho chứa đồ dễ cháy, nguy cơ cháy lớn" is a report, not a fire. */
const FIRE_RISK = re('nguy_cơ/dễ/có_thể/sợ/sắp/phòng/chống/tránh ~3 cháy/hỏa_hoạn/cháy_nổ/bắt_lửa', 'dễ_cháy', 'chất ~1 dễ ~1 cháy', 'fire ~1 risk/hazard', 'could ~2 catch ~1 fire');
/** A request for a sign, a light or a fence: a report about a dangerous place, not an emergency now. */
const FIX_REQUEST = re(
  'đề_nghị/kiến_nghị/mong/xin/cần ~4 lắp/làm/đặt/sửa/bổ_sung/cắm/kẻ ~3 đèn/biển/biển_báo/gờ/gương/rào/lan_can/vạch/camera',
  'need/request/install ~4 sign/signs/light/lights/bump/mirror/fence/crossing/barrier/camera',
);
/** When will the power or water be back: a question about an outage, whatever caused it. */
const RESTORE = re('khi_nào/bao_giờ/mấy_giờ ~4 có ~1 điện/nước ~1 lại', 'có ~1 điện/nước ~1 lại ~2 chưa/khi_nào/bao_giờ', 'when ~4 power/electricity/water ~3 back/restored');
/** Habit or duration: it keeps happening, or has lasted for months ("đoạn sông này hay có người đuối nước"): a report, even for hard rules. */
const HABITUAL = re(
  'hay ~1 có/bị/xảy_ra', 'thường ~1 có/bị/xảy_ra', 'thường_xuyên ~1 có/bị/xảy_ra', 'mấy/nhiều/vài/các ~1 vụ ~4 rồi/trước/năm/tháng/tuần/nay',
  'hằng/hàng/mỗi năm/mùa/sáng/tối/ngày/đêm/lần/tuần/tháng', 'tuần/tháng/năm ~1 nào ~1 cũng', 'mấy/nhiều/zznum ~1 tháng/năm ~1 nay/rồi/trước', 'often', 'every ~1 year/day/night/morning/evening/time/week/month', 'keeps ~1 happening',
);
/** Papers and procedures: the danger is the background of an administrative question ("nhà bị cháy hết giấy tờ, làm lại sổ đỏ"). */
const ADMIN = re(
  'giấy_tờ', 'giấy ~2 khai_sinh/tờ/ủy_quyền/phép/chứng_nhận/đăng_ký/báo_tử', 'sổ_đỏ', 'sổ_hồng', 'bằng_lái', 'căn_cước', 'hộ_chiếu', 'bảo_hành', 'bảo_hiểm',
  'thủ_tục', 'hồ_sơ', 'làm ~1 lại ~3 giấy/sổ/bằng/thẻ/đăng_ký', 'cấp_lại', 'trợ_cấp', 'bồi_thường', 'đền_bù', 'khai_tử', 'ủy_quyền', 'đăng_ký ~1 xe',
  'papers', 'paperwork', 'certificate', 'insurance', 'compensation', 'claim', 'renew', 'replace', 'warranty', 'procedure', 'id ~1 card', 'register ~2 death',
);
/** A question (the aftermath guard needs one). */
const QUESTION = re('ở_đâu', 'thế_nào', 'như_thế_nào', 'ra_sao', 'làm_sao', 'sao', 'gì', 'không', 'được_không', 'ai', 'nào', 'how', 'where', 'what', 'can', 'who', 'which');
/** Somebody is in danger right now (blocks the aftermath and risk guards). */
const PEOPLE_HURT = re(
  'kẹt/mắc_kẹt', 'bên_trong', 'kêu ~1 cứu', 'kêu_cứu', 'bất_tỉnh', 'bị_thương', 'chảy ~1 máu', 'bị ~1 =đè/=vùi', '=đè ~2 lên ~2 người', 'đuối', 'chìm', 'không ~1 thở', 'ngừng ~1 thở',
  'trapped', 'inside', 'unconscious', 'bleeding', 'drowning', 'not ~1 breathing', 'injured',
);
/** A wall or a tree that might fall: a report about a risk, not a collapse. */
const RISK_COLLAPSE = re('sợ/sắp/có_thể/nguy_cơ/dễ/coi_chừng ~3 =sập/đổ/=đè/sụp/ngã', 'might/could/may ~2 fall/collapse');
/** Animals in trouble are not a 113/114/115 case for this bot (unless people are mentioned too). */
const ANIMAL = re('con ~1 mèo/chó/gà/vịt/bò/trâu/heo/lợn/chim/khỉ/rắn/cá', 'mèo/chó ~1 nhà', 'cat', 'kitten', 'dog', 'puppy', 'cats', 'dogs');
const PEOPLE_WORDS = re('người', 'em_bé', '=bé', 'cháu', 'trẻ', 'đứa', 'ông', 'bà', 'mẹ', 'bố', 'tôi', 'chồng', 'vợ', 'someone', 'person', 'man', 'woman', 'child', 'kid', 'boy', 'girl', 'people', 'my', 'i');
/** Strong present: an aftermath or a habit does not hold when the message says it is happening now. */
const HAPPENING = re('từ ~1 đêm_qua/tối_qua/hôm_qua/sáng_qua/chiều_qua/nãy', 'since ~1 last ~1 night', 'đang', 'vừa', 'vừa_mới', '=ngay', 'lúc_này', '=gấp', 'nhanh_lên', 'mau_lên', 'cứu ~1 với/gấp/tôi/em/mình/nhanh/mau/giúp/người', 'kêu_cứu', 'giúp với', 'right now', 'hurry', 'urgent', 'asap', 'help');

/** It is over: even hard rules stand down ("bị cướp tháng trước"), unless the message says it is still going on. */
const PAST = re(
  'có ~1 lần', 'lần ~1 trước', 'hồi ~1 trước/đó', 'đã ~1 từng', 'từng ~1 bị/gặp/chứng_kiến',
  'hôm_qua', 'hôm_trước', 'hôm_bữa', 'bữa_trước', 'tuần_trước', 'tháng_trước', 'năm_ngoái', 'năm_trước', 'mấy hôm trước', 'đã ~2 dập_tắt',
  'tuần/tháng/năm/bữa/hôm rồi', 'đã ~2 tắt/dập', 'tắt ~1 rồi', 'đã ~1 được ~2 đưa/chở ~3 viện/bệnh_viện', 'đã ~1 được ~1 cấp_cứu', 'was ~1 taken ~2 hospital', 'had ~1 a ~1 fire', 'đêm_qua', 'tối_qua', 'sáng_qua', 'chiều_qua', 'trưa_qua', 'hôm_kia', 'năm zznum', 'hồi_nhỏ', 'hồi ~1 xưa/trẻ/bé',
  'it ~1 s ~1 out', 'fire ~1 is ~1 out', 'been ~1 put ~1 out', 'put ~1 it ~1 out', 'there ~1 was ~3 fire', 'last ~1 night',
  'yesterday', 'last week', 'last month', 'last year', 'ago',
);
/** Saying it is happening now beats the number, hypothetical and not-now guards (not the false-alarm one). */
const NOW = re(
  'từ ~1 đêm_qua/tối_qua/hôm_qua/sáng_qua/chiều_qua/trưa_qua/sáng/tối/đêm/chiều/nãy', 'since ~1 last ~1 night', 'since ~1 yesterday/morning/midnight', 'since ~1 this ~1 morning',
  'đang', 'vừa', 'vừa_mới', '=ngay', 'vẫn', 'vẫn còn', 'tới giờ', 'đến giờ', 'still', 'ngay bây_giờ', 'bây_giờ', 'lúc_này', '=gấp', 'nhanh_lên', 'mau_lên', 'cứu với', 'cứu tôi', 'giúp với',
  'right now', 'hurry', 'urgent', 'asap', 'quickly',
);
const FALSE_ALARM = re('báo ~1 giả', 'báo_cháy ~1 giả', 'false alarm', 'diễn_tập', 'fire drill', 'drill');

const ALL_RULES: readonly Rule[] = [...RULES, ...SITUATION_RULES];

const KIND_PRIORITY: readonly EmergencyKind[] = ['gas', 'fire', 'rescue', 'police', 'medical'];

/** The "mixed" form patterns run on (see the module comment). */
export function mixedForm(n: Normalised): string {
  // "dang ky" typed without marks is đăng ký, never "đang" (now).
  return n.tokens
    .map((t) => (t.marked ? t.accented : t.folded))
    .join(' ')
    .replace(/(^| )dang (?=ky|ki)/g, '$1đăng ')
    // "ket hon", "ket qua" typed without marks are kết (marriage, result), never kẹt (stuck).
    .replace(/(^| )ket (?=hon|qua|thuc|noi|luan|ban|toan|hop|nap|cau|doan|tinh|thanh)/g, '$1kêts ');
}

/**
 * Runs the rule layer on a normalised message.
 */
export function detectEmergency(n: Normalised): EmergencyVerdict {
  const text = mixedForm(n);
  const fired: Rule[] = [];
  for (const rule of ALL_RULES) {
    if (rule.re.test(text) && !(rule.unless && rule.unless.test(text)) && (rule.with ?? []).every((r) => r.test(text))) fired.push(rule);
  }
  const kindHint = pickKind(fired);
  const now = NOW.test(text) || n.hasExclamation;
  // Guards are computed even when no rule fired: they also take the emergency label away from the
  // statistical model ("diễn tập phòng cháy chữa cháy" is full of emergency words).
  const hard = fired.some((r) => r.strength === 'hard');
  const happening = HAPPENING.test(text) || n.hasExclamation;
  const hurt = PEOPLE_HURT.test(text);
  let guarded: string | null = null;
  if (FALSE_ALARM.test(text)) guarded = 'false-alarm';
  // "cháy nhà rồi, gọi số nào": a hard rule describing danger now beats the number question.
  else if (!now && NUMBER_QUESTION.test(text) && (!hard || HYPOTHETICAL.test(text))) guarded = 'number-question';
  else if (!now && HYPOTHETICAL.test(text)) guarded = 'hypothetical';
  else if (!now && PAST.test(text)) guarded = 'past';
  else if (!happening && ANIMAL.test(text) && !PEOPLE_WORDS.test(text)) guarded = 'animal';
  else if (!happening && HABITUAL.test(text)) guarded = 'habitual';
  else if (!happening && NEARLY.test(text)) guarded = 'nearly';
  else if (!happening && !hurt && fired.length > 0 && fired.every((r) => r.kind === 'fire') && FIRE_RISK.test(text)) guarded = 'fire-risk';
  else if (!happening && !hurt && ADMIN.test(text) && QUESTION.test(text)) guarded = 'aftermath';
  else if (!happening && !hurt && RESTORE.test(text)) guarded = 'outage';
  else if (!happening && !hard && FIX_REQUEST.test(text)) guarded = 'fix-request';
  else if (!happening && !hurt && fired.length > 0 && fired.every((r) => r.id.endsWith('collapse') && r.kind === 'rescue') && RISK_COLLAPSE.test(text)) guarded = 'risk';
  else if (!fired.some((r) => r.kind === 'fire') && FIRE_UNLESS.test(text)) guarded = 'figurative';
  else if (!now && !hard && NOT_NOW.test(text)) guarded = 'not-now';
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
