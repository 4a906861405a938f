/**
 * A keyword-based category suggestion, used until (and as a fallback for) the trained classifier
 * in src/nlu. Matches diacritic-folded keywords; "other" when nothing fits.
 */
import type { CategorySuggester } from './ports';
import { fold } from '../shared/text';

const KEYWORDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['street-lights', ['den duong', 'den chieu sang', 'cot den', 'bong den', 'den tat', 'den hong', 'street light', 'streetlight', 'lamp']],
  ['road-damage', ['o ga', 'o voi', 'mat duong', 'vinh he', 'via he', 'sut lun', 'nap cong', 'lan can cau', 'pothole', 'road damage', 'pavement', 'hu hong duong']],
  ['drainage-flooding', ['ngap', 'thoat nuoc', 'cong thoat', 'tac cong', 'nuoc dong', 'flood', 'drain', 'sewer']],
  ['waste', ['rac', 'xac chet', 'phe thai', 'vut rac', 'do rac', 'rubbish', 'garbage', 'trash', 'litter', 'dumping']],
  ['pollution', ['o nhiem', 'khoi', 'bui', 'mui hoi', 'hoi thoi', 'nuoc thai', 'dot rac', 'smoke', 'smell', 'pollution', 'dust', 'wastewater']],
  ['trees', ['cay do', 'cay nga', 'cay xanh', 'nhanh cay', 'cat cay', 'chat cay', 'fallen tree', 'tree', 'branch']],
  ['encroachment', ['lan chiem', 'buon ban via he', 'do xe via he', 'chiem via he', 'chiem long duong', 'encroach', 'stall', 'blocking the pavement']],
  ['construction', ['xay dung', 'xay khong phep', 'xay trai phep', 'vat lieu xay dung', 'cong trinh', 'construction', 'building without permit']],
  ['traffic-safety', ['den giao thong', 'bien bao', 'giao thong', 'dua xe', 'nga tu', 'traffic light', 'road sign', 'racing', 'junction']],
  ['noise', ['on ao', 'tieng on', 'karaoke', 'loa keo', 'hat karaoke', 'noise', 'loud', 'music']],
  ['public-order', ['danh nhau', 'co bac', 'danh bac', 'an xin', 'tu tap', 'gay roi', 'fight', 'gambling', 'begging']],
  ['tourism', ['du lich', 'khach du lich', 'chat chem', 'cheo keo', 'huong dan vien', 'tourist', 'tour guide', 'overcharg']],
  ['food-safety', ['thuc pham', 've sinh an toan', 'ngo doc', 'het han', 'do an ban', 'food', 'expired', 'poisoning']],
];


export const keywordCategorySuggester: CategorySuggester = {
  suggestCategory(text: string) {
    const f = ` ${fold(text)} `;
    let best = { category: 'other', score: 0 };
    for (const [category, words] of KEYWORDS) {
      const hits = words.filter((w) => f.includes(w)).length;
      if (hits > 0 && hits / (hits + 1) > best.score) best = { category, score: hits / (hits + 1) };
    }
    return best;
  },
};
