/**
 * Addresses recognisably in another city or province ("12 Trần Phú, Đà Nẵng", "ở Sài Gòn"), so
 * the report dialog can say "outside the area" instead of "address not found" (a geocoder biased
 * to the city often finds nothing for them, or a same-named street at home).
 */
import { fold } from '../../src/domain/shared/text';

/** Vietnamese provinces and large cities (folded), before and after the 2025 mergers. */
const PLACES: readonly string[] = [
  'ha noi', 'hanoi', 'ho chi minh', 'tp hcm', 'tphcm', 'hcm', 'sai gon', 'saigon', 'ho chi minh city', 'da nang', 'danang', 'hai phong', 'can tho',
  'hoi an', 'quang nam', 'tam ky', 'quang tri', 'dong ha', 'quang binh', 'dong hoi', 'nghe an', 'vinh', 'ha tinh', 'thanh hoa', 'ninh binh',
  'nam dinh', 'thai binh', 'hai duong', 'hung yen', 'bac ninh', 'bac giang', 'quang ninh', 'ha long', 'lang son', 'cao bang', 'ha giang', 'lao cai',
  'sa pa', 'sapa', 'yen bai', 'tuyen quang', 'thai nguyen', 'phu tho', 'viet tri', 'vinh phuc', 'hoa binh', 'son la', 'dien bien', 'lai chau',
  'bac kan', 'ha nam', 'quang ngai', 'binh dinh', 'quy nhon', 'phu yen', 'tuy hoa', 'khanh hoa', 'nha trang', 'ninh thuan', 'phan rang',
  'binh thuan', 'phan thiet', 'kon tum', 'gia lai', 'pleiku', 'dak lak', 'daklak', 'buon ma thuot', 'dak nong', 'lam dong', 'da lat', 'dalat',
  'binh phuoc', 'tay ninh', 'binh duong', 'thu dau mot', 'dong nai', 'bien hoa', 'ba ria', 'vung tau', 'ba ria vung tau', 'long an', 'tien giang',
  'my tho', 'ben tre', 'tra vinh', 'vinh long', 'dong thap', 'an giang', 'long xuyen', 'chau doc', 'kien giang', 'rach gia', 'phu quoc',
  'hau giang', 'soc trang', 'bac lieu', 'ca mau', 'thu duc',
];
/** Words that, right before a place name, make it a street name ("đường Hà Nội" is a street in Huế). */
const STREET_WORDS = new Set(['duong', 'pho', 'kiet', 'hem', 'ngo', 'ngach', 'street', 'road', 'st', 'so', 'cau', 'cho', 'khach', 'san', 'truong', 'ben', 'xe', 'cua', 'cong', 'phuong', 'khu', 'to', 'thon', 'xom', 'nga', 'cafe', 'quan']);
/** Names that are also common street, gate or village names here: a city only after "ở", "TP", "tỉnh"… */
const NEEDS_CITY_WORD = new Set(['vinh', 'hoa binh', 'ha nam', 'thai binh', 'phu tho', 'long an', 'binh dinh', 'an giang', 'hau giang', 'ben tre']);
/** Words that, right before a place name, make it a city ("ở Đà Nẵng", "TP. Hồ Chí Minh"). */
const CITY_WORDS = new Set(['o', 'tai', 'tp', 'pho', 'tinh', 'city', 'in', 'province', 'huyen', 'thi']);

/**
 * True when `text` names another city or province as where the place is: after "ở"/"tại"/"TP"/
 * "tỉnh", at the end of the text or of a comma-separated part, or alone. Never when it is a
 * street ("đường Hà Nội", "12 Hà Nội") or when the home city is named too.
 */
export function mentionsAnotherCity(text: string, home: readonly string[]): boolean {
  const segments = text.split(/[,;\n]/).map((s) => fold(s)).filter(Boolean);
  const all = ` ${segments.join(' ')} `;
  const homes = home.map(fold).filter((h) => h.length > 0);
  for (const seg of segments) {
    const ws = seg.split(' ');
    for (const place of PLACES) {
      if (homes.includes(place)) continue;
      const pw = place.split(' ');
      for (let i = 0; i + pw.length <= ws.length; i++) {
        if (!pw.every((x, k) => ws[i + k] === x)) continue;
        const before = ws[i - 1];
        const atEnd = i + pw.length === ws.length;
        // "thành phố" ends in "pho", which also means "street": look one word further back.
        const cityWord = before !== undefined && (CITY_WORDS.has(before) && !(before === 'pho' && ws[i - 2] !== 'thanh'));
        if (cityWord) return !namesHome(all, homes);
        if (before !== undefined && (STREET_WORDS.has(before) || /^\d/.test(before))) continue;
        if (atEnd && !NEEDS_CITY_WORD.has(place)) return !namesHome(all, homes);
      }
    }
  }
  return false;
}

function namesHome(all: string, homes: readonly string[]): boolean {
  // "Nguyễn Huệ" folds to "nguyen hue": a home name right after "nguyen" is a street, not the city.
  return homes.some((h) => all.includes(` ${h} `) && !all.includes(` nguyen ${h} `));
}
