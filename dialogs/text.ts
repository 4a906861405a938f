/** Small text helpers for command words (full language understanding lives in src/nlu). */
import { fold } from '../src/domain/shared/text';

export { fold };

const CANCEL = new Set(['huy', 'cancel', 'huy bo', 'thoi', 'dung lai', 'stop', 'huy phan anh', 'cancel report', 'bo qua phan anh']);
const MY_REPORTS = /^(bao cao cua toi|phan anh cua toi|cac phan anh cua toi|my reports?|xem bao cao|xem phan anh cua toi|danh sach phan anh)$/;
const REPORT_START = /^(phan anh|gui phan anh|bao su co|bao cao su co|toi muon phan anh|muon phan anh|report|report a problem|report an issue|new report|tao phan anh|phan anh hien truong)$/;
const LANG_EN = /^(english|tieng anh|en)$/;
const LANG_VI = /^(tieng viet|vietnamese|vi)$/;

export const isCancel = (text: string): boolean => CANCEL.has(fold(text));
export const isMyReports = (text: string): boolean => MY_REPORTS.test(fold(text));
export const isReportStart = (text: string): boolean => REPORT_START.test(fold(text));
export const languageCommand = (text: string): 'vi' | 'en' | null => {
  const f = fold(text);
  return LANG_EN.test(f) ? 'en' : LANG_VI.test(f) ? 'vi' : null;
};
