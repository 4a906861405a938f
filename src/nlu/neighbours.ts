/**
 * Neighbouring topics that residents' messages (and the main model) mix up, and the words that tell
 * them apart. The main model learns a word's weight over all 59 labels at once, so a word that is
 * common elsewhere ("xe" is in traffic reports, licences, fines) stays weak even where it is decisive
 * between two neighbours ("sang tên xe" is a vehicle transfer, not a land transfer). These cues are
 * that decisive knowledge, written once per pair.
 *
 * A group is consulted only when the two best labels of a message belong to it; then the members whose
 * cues appear in the message gain weight against those whose cues do not (if every member or none has
 * a cue, nothing changes). Cues run on the folded text (no diacritics, teencode expanded: "cccd" is
 * already "can cuoc cong dan"), so they work with and without diacritics; English cues sit beside.
 */
export interface NeighbourGroup {
  readonly name: string;
  /** Label key → its decisive cue. */
  readonly cues: Readonly<Record<string, RegExp>>;
}

const cue = (...alternatives: string[]): RegExp => new RegExp(`(?:^| )(?:${alternatives.join('|')})(?= |$)`);

export const NEIGHBOUR_GROUPS: readonly NeighbourGroup[] = [
  {
    name: 'copies vs identity card',
    cues: {
      'faq:chung-thuc': cue('chung thuc', 'cong chung', 'sao y', 'ban sao', 'photo cong chung', 'certified', 'certify', 'certification', 'notari[sz]ed', 'notary', 'copies', 'copy'),
      'faq:can-cuoc': cue('(?:lam|cap|doi|cap doi|cap lai|lam lai|mat|hong|gay|het han) (?:the )?can cuoc', 'can cuoc (?:bi|het|mat|hong|gan chip)', 'gan chip', '(?:new|replace|renew|lost|stolen|damaged) (?:\\w+ )?(?:id|identity) card'),
    },
  },
  {
    name: 'social allowance vs unemployment vs one-off social insurance',
    cues: {
      'faq:that-nghiep': cue('that nghiep', 'bhtn', 'mat viec', 'bi cho nghi', 'cat giam', 'unemployment', 'jobless', 'lost my job', 'laid off'),
      'faq:bhxh-mot-lan': cue('mot lan', 'zznum lan', 'rut (?:het )?(?:so )?(?:bao hiem|bhxh|bh)', 'lanh (?:het )?(?:bao hiem|bhxh)', 'lump sum', 'withdraw', 'cash out', 'one time', 'one off', 'all at once'),
      'faq:tro-cap-xa-hoi': cue('nguoi gia', 'nguoi cao tuoi', 'khuyet tat', 'tan tat', 'mo coi', 'neo don', 'zznum tuoi', 'tro cap (?:xa hoi|hang thang|hang thang)', 'bai nao', 'elderly', 'disab\\w*', 'orphan\\w*', 'old people', 'aged'),
    },
  },
  {
    name: 'marriage registration vs single-status certificate',
    cues: {
      'faq:tinh-trang-hon-nhan': cue('doc than', 'tinh trang hon nhan', 'xac nhan hon nhan', 'chung nhan hon nhan', '(?:xac nhan|chung nhan|chung minh) (?:\\w+ ){0,2}chua (?:tung )?(?:ket hon|lap gia dinh|co vo|co chong)', 'single', 'marital status', 'not married', 'unmarried', 'never (?:been )?married'),
      'faq:ket-hon': cue('dang ky ket hon', 'giay ket hon', 'ho so ket hon', 'to chuc cuoi', 'marry', 'marriage registration', 'register (?:our|the|a) marriage', 'get married'),
    },
  },
  {
    name: 'residence confirmation vs permanent residence',
    cues: {
      'faq:xac-nhan-cu-tru': cue('xac nhan (?:thong tin )?(?:ve )?cu tru', 'ct07', 'chung minh (?:noi o|dia chi|cu tru|noi cu tru)', 'giay xac nhan noi o', 'proof of (?:residence|address)', 'residence confirmation', 'confirm\\w* (?:my |the )?(?:address|residence)'),
      'faq:thuong-tru': cue('thuong tru', 'nhap (?:ho )?khau', 'chuyen (?:ho )?khau', 'nhap hk', 'tach (?:ho )?khau', 'permanent residence', 'household registration', 'move (?:my |our )?(?:residence|household)'),
    },
  },
  {
    name: 'one-stop shop vs application tracking vs public service portal',
    cues: {
      'faq:mot-cua': cue('gio (?:lam viec|mo cua|nghi)', 'may gio', 'nghi trua', 'thu (?:7|zznum|bay)', 'dia chi', 'nam o', 'o duong nao', 'opening hours', 'open', 'closed', 'address', 'where is', 'lunch'),
      'faq:tra-cuu-ho-so': cue('tra cuu', 'tinh trang', 'tien do', 'toi dau', 'qua hen', 'tre hen', 'ma (?:ho so|bien nhan)', 'giay hen', 'status', 'progress', 'receipt', 'where (?:my|it) is'),
      'faq:dich-vu-cong': cue('online', 'truc tuyen', 'qua mang', 'cong dich vu cong', 'dich vu cong', 'dang nhap', 'portal', 'log in', 'login'),
    },
  },
  {
    name: 'vehicle registration vs land changes',
    cues: {
      'faq:dang-ky-xe': cue('xe', 'xe may', 'o to', 'oto', 'bien so', 'bien xe', 'car', 'motorbike', 'scooter', 'vehicle', 'motorcycle', 'honda'),
      'faq:bien-dong-dat': cue('dat', 'nha dat', 'so do', 'so hong', 'thua', 'manh dat', 'lo dat', 'land', 'plot', 'property', 'house'),
      'faq:so-do': cue('dat', 'so do', 'so hong', 'land'),
    },
  },
  {
    name: 'how reporting works vs my own reports vs reporting',
    cues: {
      // "Where / how do I see my reports" asks how tracking works; "my report … yet?" asks about one.
      'faq:phan-anh-tra-cuu': cue('chung chung', 'noi chung', 'binh thuong', 'thuong thi', 'thong thuong', 'bao lau thi', 'trang thai (?:\\w+ )?(?:la gi|nghia la)', 'in general', 'usually', 'normally', 'what do (?:the )?(?:\\w+ )?status\\w* mean',
        '(?:xem|coi|tra|tra cuu|kiem tra|theo doi) (?:\\w+ ){0,8}(?:o dau|cho nao|muc nao|trang nao|bang cach nao|nhu the nao|the nao|ra sao)', '(?:o dau|lam sao|nhu the nao|cach nao|bang cach nao) (?:de )?(?:xem|coi|tra|kiem tra|theo doi)',
        'where (?:can|do) i (?:see|find|check|look)', 'how (?:can|do) i (?:see|check|find|look up|track|follow)'),
      status: new RegExp(`^(?!.*(?:^| )(?:o dau|cho nao|muc nao|trang nao|bang cach nao|lam sao|nhu the nao|where|how)(?= |$)).*${cue('(?:phan anh|bao cao|report|reports) (?:cua|ma) (?:toi|minh|em|tui|con|chau)', 'zzcode', '(?:toi|minh|em|tui|e|t|mik) (?:da |vua |co )?(?:gui|bao|phan anh) (?:\\w+ ){0,6}(?:sao roi|chua|toi dau|the nao roi)', 'i (?:sent|reported|filed)').source}`),
      'faq:phan-anh-huong-dan': cue('lam sao (?:de )?(?:gui|phan anh|bao)', 'cach (?:gui|phan anh|bao)', '(?:gui|phan anh) (?:\\w+ ){0,3}(?:nhu the nao|the nao|ra sao|bang cach nao)', 'cac buoc', 'huong dan', 'how (?:do|can|to|does) (?:i )?(?:report|submit|file|reporting|send (?:a |an |the |my )?(?:report|photo|picture|location|complaint|problem))',
        'is (?:there|it possible) (?:a way )?to (?:send|report|submit)', 'can i (?:send|report|submit) (?:\\w+ ){0,3}(?:by|with|without|through|via|using)', '(?:gui|phan anh|bao) (?:\\w+ ){0,3}bang (?:tin nhan thoai|giong noi|video|cach nao)'),
      'report:other': new RegExp(`^(?!.*(?:^| )(?:lam sao|nhu the nao|the nao|cach|huong dan|how)(?= |$)).*${cue('(?:cho|de) (?:toi|minh|em|tui|e|t|mik) (?:gui|bao|phan anh) (?:mot|zznum) (?:phan anh|vu|viec|su co)', 'i (?:want|would like|d like) to (?:report|file)').source}`),
    },
  },
  {
    // Asking about a service vs reporting a problem with it: one group per service, so that a service's
    // question cues never decide between two other topics ("có cần xin phép" is about cutting a tree too).
    name: 'waste collection: asking vs reporting',
    cues: {
      'faq:rac-thai': cue('lich', 'may gio', 'luc may gio', 'khi nao', 'ngay nao', 'phi', 'bao nhieu', 'phan loai', 'schedule', 'what time', 'when', 'fee', 'collection'),
      'report:waste': cue('khong ai', 'ton dong', 'chat dong', 'boc mui', 'do trom', 'vut', 'bua bai', 'day tran', 'khong (?:toi|den|thu gom)', 'piled', 'dumped', 'overflowing', 'not collected'),
    },
  },
  {
    name: 'building permits: asking vs reporting',
    cues: {
      'faq:giay-phep-xay-dung': cue('xin (?:giay )?phep', 'co (?:can|phai) xin', 'ho so', 'thu tuc', 'le phi', 'permit for', 'do (?:i|we) need', '(?:are|am) (?:we|i) allowed', 'is it (?:allowed|legal)', 'can (?:i|we) build'),
      // A breach is reported, not asked about: "được phép … không", "are we allowed" keep the permit question.
      'report:construction': new RegExp(`^(?!.*(?:^| )(?:co duoc (?:phep )?(?:\\w+ ){0,4}khong|allowed|can (?:i|we) build|do (?:i|we) need)(?= |$)).*${cue('khong (?:co )?phep', 'trai phep', 'sai phep', 'xay chui', 'vuot (?:so )?tang', 'lan sang', 'without (?:a )?permit', 'illegal').source}`),
    },
  },
  {
    name: 'trees: asking vs reporting',
    cues: {
      'faq:cay-xanh': cue('xin (?:cat|chat|tia|trong)', 'lien he ai', 'goi ai', 'co (?:duoc|bi phat)', 'who (?:do i|trims|handles)', 'request'),
      'report:trees': cue('(?:da|bi) (?:do|gay|nga)', 'nghieng', 'chan (?:ngang )?duong', 'de len', 'fell', 'fallen', 'leaning', 'blocking'),
    },
  },
  {
    name: 'cutting a tree vs a building permit',
    cues: {
      'faq:cay-xanh': cue('cay', 'cay xanh', 'canh cay', 'goc cay', 'don', 'chat', 'cua cay', 'tree\\w*', 'branch\\w*', 'prune', 'trim'),
      'faq:giay-phep-xay-dung': cue('xay', 'xay dung', 'sua nha', 'nang tang', 'coi noi', 'build\\w*', 'construct\\w*', 'storey', 'floor', 'renovat\\w*'),
    },
  },
];

/**
 * What a question asks can matter more than what it names: "hồ sơ cấp sổ đỏ nộp 2 tháng chưa xong, tra ở
 * đâu" names the land certificate and asks where the application is; "có gửi phản ánh chuyện du lịch
 * qua đây được không" names tourism and asks what can be reported. A cross-cutting cue speaks for its
 * label against any best label of the kinds in `against` (key prefixes), when its label is among the
 * five best (the subject's words can push it that far down); the first cue that applies decides.
 */
export interface CrossCue {
  readonly label: string;
  readonly against: readonly string[];
  readonly cue: RegExp;
}

export const CROSS_CUES: readonly CrossCue[] = [
  {
    // Following an application of any procedure.
    label: 'faq:tra-cuu-ho-so',
    against: ['faq:'],
    cue: cue(
      '(?:tra cuu|tra|kiem tra|xem|theo doi) (?:\\w+ ){0,2}(?:ho so|tien do ho so|tinh trang ho so)',
      'ho so (?:\\w+ ){0,10}(?:chua (?:xong|co ket qua|tra ket qua|giai quyet|duoc giai quyet|thay)|qua han|tre hen|tre han|den dau roi|toi dau roi|dang o (?:dau|khau nao))',
      'giay hen', 'ma (?:ho so|bien nhan)',
      '(?:track|check|follow) (?:\\w+ ){0,2}application', 'application (?:\\w+ ){0,4}(?:overdue|late|progress|status|stuck)', 'receipt (?:code|number)',
    ),
  },
  {
    // Whether something can be reported here at all (before how to report: "can I report X through this bot" asks this).
    label: 'faq:phan-anh-pham-vi',
    against: ['report:', 'faq:'],
    cue: cue(
      '(?:nam trong|thuoc) (?:\\w+ ){0,2}pham vi', '(?:gui|phan anh|bao|to cao|khieu nai) (?:\\w+ ){0,6}(?:qua|o|vao) (?:day|he thong nay|chatbot nay|kenh nay) (?:\\w+ ){0,2}(?:duoc khong|duoc ko|khong)',
      'can (?:i|we) (?:report|complain about) (?:\\w+ ){0,6}(?:here|through this|with this)', 'is (?:this|that|it) (?:something )?(?:covered|handled) (?:here|by you)', 'what (?:kinds?|types?) of (?:problems|issues|things) can',
    ),
  },
  {
    // Who sees the resident's name and data (before how to report: "can I report without my name" asks this).
    label: 'faq:du-lieu-ca-nhan',
    against: ['faq:', 'report:'],
    cue: cue('danh tinh', 'giu kin', 'giau ten', 'khong (?:de lai|ghi|neu|cho biet|can) (?:ho )?ten', 'bao mat (?:thong tin|danh tinh)', 'lo (?:thong tin|ten|danh tinh)', 'an danh', 'anonymous\\w*', 'privacy', 'personal (?:data|information)', 'my (?:name|identity|details) (?:\\w+ ){0,2}(?:shown|visible|disclosed|shared|revealed)',
      'ai (?:duoc|co the) (?:xem|biet|thay)', 'who (?:can|will|gets to) (?:see|know)', 'can (?:\\w+ ){0,2}see my'),
  },
  {
    // How reporting works, whatever the problem it names or the other questions about reporting it resembles.
    label: 'faq:phan-anh-huong-dan',
    against: ['report:', 'faq:'],
    cue: cue(
      'lam sao (?:de )?(?:gui|phan anh)', 'cach (?:gui|phan anh)', '(?:gui|phan anh) (?:\\w+ ){0,3}(?:nhu the nao|ra sao|bang cach nao)', '(?:gui|phan anh) (?:\\w+ ){0,3}bang (?:tin nhan thoai|giong noi|video)',
      'how (?:do|can) i (?:report|submit|send (?:a |an |the |my )?(?:report|photo|picture|location|complaint|problem))', 'is (?:there|it possible) (?:a way )?to (?:send|report|submit)', 'can i (?:send|report|submit) (?:\\w+ ){0,3}(?:by|with|without|through|via|using)',
    ),
  },
];

/** Which cue of `group` each label has in `folded` (true/false per label key). */
export function cueHits(group: NeighbourGroup, folded: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [label, re] of Object.entries(group.cues)) out.set(label, re.test(folded));
  return out;
}
