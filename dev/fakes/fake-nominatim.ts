/**
 * A fake Nominatim (the OpenStreetMap geocoder) on loopback with an offline gazetteer of Huế, for
 * tests and the simulator. `/search?q=` and `/reverse?lat=&lon=` in Nominatim's JSON shape.
 *
 * The gazetteer knows Huế's main streets and well-known places (markets, the Citadel's gates,
 * bridges, schools, hospitals, ward offices, landmarks) at approximate coordinates, plus the main
 * cities elsewhere in Việt Nam, so an address recognisably in another city is found there (and
 * then refused as outside the service area) rather than "not found".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fold } from '../../src/domain/shared/text';

export interface Place {
  readonly names: readonly string[];
  readonly lat: number;
  readonly lng: number;
  readonly display: string;
  /** A city or province elsewhere: when a query names one, the address is there. */
  readonly elsewhere?: boolean;
  /** A ward as a whole: any street or place named with it is more precise. */
  readonly ward?: boolean;
}

const HUE = 'Thành phố Huế';
const p = (names: string[], lat: number, lng: number, display: string): Place => ({ names, lat, lng, display: `${display}, ${HUE}` });
const ward = (names: string[], lat: number, lng: number, display: string): Place => ({ ...p(names, lat, lng, display), ward: true });
const away = (names: string[], lat: number, lng: number, display: string): Place => ({ names, lat, lng, display, elsewhere: true });

export const HUE_GAZETTEER: readonly Place[] = [
  // Streets
  p(['le loi', 'lê lợi'], 16.4665, 107.5905, 'Lê Lợi, Phường Thuận Hóa'),
  p(['hung vuong', 'hùng vương'], 16.4605, 107.5985, 'Hùng Vương, Phường Thuận Hóa'),
  p(['tran hung dao', 'trần hưng đạo'], 16.4712, 107.588, 'Trần Hưng Đạo, Phường Phú Xuân'),
  p(['phan dinh phung', 'phan đình phùng'], 16.4598, 107.5862, 'Phan Đình Phùng, Phường Thuận Hóa'),
  p(['ba trieu', 'bà triệu'], 16.4632, 107.6032, 'Bà Triệu, Phường Vỹ Dạ'),
  p(['nguyen hue', 'nguyễn huệ'], 16.4617, 107.5868, 'Nguyễn Huệ, Phường Thuận Hóa'),
  p(['le duan', 'lê duẩn'], 16.4655, 107.5735, 'Lê Duẩn, Phường Phú Xuân'),
  p(['dien bien phu', 'điện biên phủ'], 16.4545, 107.5845, 'Điện Biên Phủ, Phường Thuận Hóa'),
  p(['tran phu', 'trần phú'], 16.4555, 107.5885, 'Trần Phú, Phường Thuận Hóa'),
  p(['ha noi', 'hà nội'], 16.4640, 107.5940, 'Hà Nội, Phường Thuận Hóa'),
  p(['dong da', 'đống đa'], 16.4625, 107.5990, 'Đống Đa, Phường Thuận Hóa'),
  p(['nguyen trai', 'nguyễn trãi'], 16.4725, 107.5735, 'Nguyễn Trãi, Phường Phú Xuân'),
  p(['mai thuc loan', 'mai thúc loan'], 16.4745, 107.5830, 'Mai Thúc Loan, Phường Phú Xuân'),
  p(['dinh tien hoang', 'đinh tiên hoàng'], 16.4745, 107.5805, 'Đinh Tiên Hoàng, Phường Phú Xuân'),
  p(['chi lang', 'chi lăng'], 16.4760, 107.5925, 'Chi Lăng, Phường Phú Xuân'),
  p(['bach dang', 'bạch đằng'], 16.4715, 107.5930, 'Bạch Đằng, Phường Phú Xuân'),
  p(['pham van dong', 'phạm văn đồng'], 16.4630, 107.6120, 'Phạm Văn Đồng, Phường Vỹ Dạ'),
  p(['to huu', 'tố hữu'], 16.4560, 107.6080, 'Tố Hữu, Phường Thuận Hóa'),
  p(['ly thuong kiet', 'lý thường kiệt'], 16.4620, 107.5905, 'Lý Thường Kiệt, Phường Thuận Hóa'),
  p(['nguyen tri phuong', 'nguyễn tri phương'], 16.4660, 107.5950, 'Nguyễn Tri Phương, Phường Thuận Hóa'),
  p(['ngo quyen', 'ngô quyền'], 16.4615, 107.5945, 'Ngô Quyền, Phường Thuận Hóa'),
  p(['le lai', 'lê lai'], 16.4660, 107.5935, 'Lê Lai, Phường Thuận Hóa'),
  p(['an duong vuong', 'an dương vương'], 16.4505, 107.6025, 'An Dương Vương, Phường An Cựu'),
  p(['ton duc thang', 'tôn đức thắng'], 16.4525, 107.5935, 'Tôn Đức Thắng, Phường An Cựu'),
  p(['nguyen sinh cung', 'nguyễn sinh cung'], 16.4720, 107.6040, 'Nguyễn Sinh Cung, Phường Vỹ Dạ'),
  p(['kim long'], 16.4635, 107.5565, 'Kim Long, Phường Kim Long'),
  p(['pham ngu lao', 'phạm ngũ lão', 'pho tay', 'phố tây'], 16.4690, 107.5960, 'Phạm Ngũ Lão, Phường Thuận Hóa'),
  p(['nguyen dinh chieu', 'nguyễn đình chiểu', 'pho di bo', 'phố đi bộ'], 16.4680, 107.5925, 'Phố đi bộ Nguyễn Đình Chiểu, Phường Thuận Hóa'),
  p(['vo thi sau', 'võ thị sáu'], 16.4685, 107.5975, 'Võ Thị Sáu, Phường Thuận Hóa'),
  p(['chu van an', 'chu văn an'], 16.4695, 107.5965, 'Chu Văn An, Phường Thuận Hóa'),
  p(['doi cung', 'đội cung'], 16.4660, 107.5965, 'Đội Cung, Phường Thuận Hóa'),
  p(['nguyen thai hoc', 'nguyễn thái học'], 16.4650, 107.5975, 'Nguyễn Thái Học, Phường Thuận Hóa'),
  p(['ben nghe', 'bến nghé'], 16.4685, 107.5945, 'Bến Nghé, Phường Thuận Hóa'),
  p(['huynh thuc khang', 'huỳnh thúc kháng'], 16.4790, 107.5905, 'Huỳnh Thúc Kháng, Phường Phú Xuân'),
  p(['truong chinh', 'trường chinh'], 16.4520, 107.5990, 'Trường Chinh, Phường An Cựu'),
  p(['bui thi xuan', 'bùi thị xuân'], 16.4560, 107.5730, 'Bùi Thị Xuân, Phường Thủy Xuân'),
  p(['phan chu trinh', 'phan chu trinh'], 16.4555, 107.5950, 'Phan Chu Trinh, Phường Thuận Hóa'),
  p(['hai ba trung', 'hai bà trưng'], 16.4645, 107.5920, 'Hai Bà Trưng, Phường Thuận Hóa'),
  p(['nguyen van cu', 'nguyễn văn cừ'], 16.4600, 107.6000, 'Nguyễn Văn Cừ, Phường Thuận Hóa'),
  p(['ly tu trong', 'lý tự trọng'], 16.4605, 107.5920, 'Lý Tự Trọng, Phường Thuận Hóa'),
  p(['le thanh ton', 'lê thánh tôn'], 16.4760, 107.5780, 'Lê Thánh Tôn, Phường Phú Xuân'),
  p(['ong ich khiem', 'ông ích khiêm'], 16.4710, 107.5760, 'Ông Ích Khiêm, Phường Phú Xuân'),
  p(['nhat le', 'nhật lệ'], 16.4725, 107.5775, 'Nhật Lệ, Phường Phú Xuân'),
  p(['thach han', 'thạch hãn'], 16.4740, 107.5700, 'Thạch Hãn, Phường Phú Xuân'),
  p(['tang bat ho', 'tăng bạt hổ'], 16.4800, 107.5840, 'Tăng Bạt Hổ, Phường Phú Xuân'),
  p(['han thuyen', 'hàn thuyên'], 16.4700, 107.5700, 'Hàn Thuyên, Phường Phú Xuân'),
  p(['nguyen chi thanh', 'nguyễn chí thanh'], 16.4790, 107.5950, 'Nguyễn Chí Thanh, Phường Phú Xuân'),
  p(['tran quang khai', 'trần quang khải'], 16.4675, 107.5950, 'Trần Quang Khải, Phường Thuận Hóa'),
  p(['duy tan', 'duy tân'], 16.4470, 107.5970, 'Duy Tân, Phường An Cựu'),
  p(['le huan', 'lê huân'], 16.4735, 107.5820, 'Lê Huân, Phường Phú Xuân'),
  p(['dang thai than', 'đặng thái thân'], 16.4770, 107.5840, 'Đặng Thái Thân, Phường Phú Xuân'),
  p(['phung hung', 'phùng hưng'], 16.4765, 107.5795, 'Phùng Hưng, Phường Phú Xuân'),
  p(['tran cao van', 'trần cao vân'], 16.4665, 107.5980, 'Trần Cao Vân, Phường Thuận Hóa'),
  p(['nguyen cong tru', 'nguyễn công trứ'], 16.4690, 107.5985, 'Nguyễn Công Trứ, Phường Thuận Hóa'),
  p(['ngu binh', 'ngự bình', 'nui ngu binh', 'núi ngự bình'], 16.4425, 107.5905, 'Núi Ngự Bình, Phường An Cựu'),
  p(['tran nhan tong', 'trần nhân tông'], 16.4700, 107.5770, 'Trần Nhân Tông, Phường Phú Xuân'),
  p(['nguyen hoang', 'nguyễn hoàng'], 16.4620, 107.5620, 'Nguyễn Hoàng, Phường Kim Long'),
  p(['vo van kiet', 'võ văn kiệt'], 16.4440, 107.6060, 'Võ Văn Kiệt, Phường An Cựu'),
  // Markets
  p(['cho dong ba', 'chợ đông ba', 'dong ba'], 16.4727, 107.5883, 'Chợ Đông Ba, Phường Phú Xuân'),
  p(['cho an cuu', 'chợ an cựu'], 16.4560, 107.5970, 'Chợ An Cựu, Phường An Cựu'),
  p(['cho ben ngu', 'chợ bến ngự', 'ben ngu'], 16.4558, 107.5905, 'Chợ Bến Ngự, Phường Thuận Hóa'),
  p(['cho tay loc', 'chợ tây lộc', 'tay loc'], 16.4790, 107.5730, 'Chợ Tây Lộc, Phường Phú Xuân'),
  p(['cho xep', 'chợ xép'], 16.4625, 107.5830, 'Chợ Xép, Phường Thuận Hóa'),
  p(['cho kim long', 'chợ kim long'], 16.4600, 107.5530, 'Chợ Kim Long, Phường Kim Long'),
  p(['cho vy da', 'chợ vỹ dạ', 'cho vi da'], 16.4690, 107.6055, 'Chợ Vỹ Dạ, Phường Vỹ Dạ'),
  p(['cho ba cong', 'chợ ba cọng'], 16.4765, 107.5785, 'Chợ Ba Cọng, Phường Phú Xuân'),
  // The Citadel and its gates
  p(['dai noi', 'đại nội', 'kinh thanh', 'kinh thành', 'hoang thanh', 'hoàng thành', 'citadel', 'imperial city'], 16.4698, 107.5786, 'Đại Nội, Phường Phú Xuân'),
  p(['ngo mon', 'ngọ môn'], 16.4672, 107.5788, 'Ngọ Môn, Đại Nội, Phường Phú Xuân'),
  p(['ky dai', 'kỳ đài', 'cot co', 'cột cờ', 'flag tower'], 16.4655, 107.5790, 'Kỳ Đài, Phường Phú Xuân'),
  p(['cua thuong tu', 'cửa thượng tứ', 'thuong tu'], 16.4690, 107.5840, 'Cửa Thượng Tứ, Phường Phú Xuân'),
  p(['cua dong ba', 'cửa đông ba'], 16.4736, 107.5853, 'Cửa Đông Ba, Phường Phú Xuân'),
  p(['cua the nhon', 'cửa thể nhơn', 'cua ngan', 'cửa ngăn'], 16.4642, 107.5815, 'Cửa Thể Nhơn (Cửa Ngăn), Phường Phú Xuân'),
  p(['cua quang duc', 'cửa quảng đức', 'cua sap', 'cửa sập'], 16.4640, 107.5760, 'Cửa Quảng Đức, Phường Phú Xuân'),
  p(['cua chanh nam', 'cửa chánh nam', 'cua nha do', 'cửa nhà đồ'], 16.4615, 107.5720, 'Cửa Chánh Nam (Cửa Nhà Đồ), Phường Phú Xuân'),
  p(['cua huu', 'cửa hữu', 'cua tay nam', 'cửa tây nam'], 16.4590, 107.5660, 'Cửa Hữu, Phường Phú Xuân'),
  p(['cua chanh tay', 'cửa chánh tây'], 16.4690, 107.5640, 'Cửa Chánh Tây, Phường Phú Xuân'),
  p(['cua an hoa', 'cửa an hòa', 'an hoa'], 16.4810, 107.5680, 'Cửa An Hòa, Phường Phú Xuân'),
  p(['cua chanh bac', 'cửa chánh bắc', 'cua hau', 'cửa hậu'], 16.4805, 107.5770, 'Cửa Chánh Bắc (Cửa Hậu), Phường Phú Xuân'),
  p(['cua ke trai', 'cửa kẻ trài', 'cua trai', 'cửa trài', 'cua chanh dong', 'cửa chánh đông'], 16.4765, 107.5880, 'Cửa Chánh Đông (Cửa Kẻ Trài), Phường Phú Xuân'),
  p(['cua hien nhon', 'cửa hiển nhơn'], 16.4701, 107.5818, 'Cửa Hiển Nhơn, Đại Nội, Phường Phú Xuân'),
  p(['cua hoa binh', 'cửa hòa bình'], 16.4737, 107.5775, 'Cửa Hòa Bình, Đại Nội, Phường Phú Xuân'),
  p(['cua chuong duc', 'cửa chương đức'], 16.4700, 107.5745, 'Cửa Chương Đức, Đại Nội, Phường Phú Xuân'),
  p(['ho tinh tam', 'hồ tịnh tâm'], 16.4775, 107.5810, 'Hồ Tịnh Tâm, Phường Phú Xuân'),
  // Bridges
  p(['cau truong tien', 'cầu trường tiền', 'truong tien', 'trường tiền'], 16.4681, 107.5888, 'Cầu Trường Tiền, Phường Thuận Hóa'),
  p(['cau phu xuan', 'cầu phú xuân'], 16.4640, 107.5800, 'Cầu Phú Xuân, Phường Thuận Hóa'),
  p(['cau da vien', 'cầu dã viên', 'da vien'], 16.4593, 107.5710, 'Cầu Dã Viên, Phường Thuận Hóa'),
  p(['cau bach ho', 'cầu bạch hổ', 'bach ho'], 16.4565, 107.5665, 'Cầu Bạch Hổ, Phường Kim Long'),
  p(['cau gia hoi', 'cầu gia hội', 'gia hoi'], 16.4743, 107.5895, 'Cầu Gia Hội, Phường Phú Xuân'),
  p(['cau dong ba', 'cầu đông ba'], 16.4726, 107.5870, 'Cầu Đông Ba, Phường Phú Xuân'),
  p(['cau an cuu', 'cầu an cựu'], 16.4560, 107.5985, 'Cầu An Cựu, Phường An Cựu'),
  p(['cau phu cam', 'cầu phú cam'], 16.4545, 107.5860, 'Cầu Phú Cam, Phường Thuận Hóa'),
  p(['cau ben ngu', 'cầu bến ngự'], 16.4555, 107.5910, 'Cầu Bến Ngự, Phường Thuận Hóa'),
  p(['cau kho ren', 'cầu kho rèn'], 16.4730, 107.5800, 'Cầu Kho Rèn, Phường Phú Xuân'),
  p(['cau cho dinh', 'cầu chợ dinh', 'cho dinh'], 16.4845, 107.5925, 'Cầu Chợ Dinh, Phường Phú Xuân'),
  p(['cau loi nong', 'cầu lợi nông', 'loi nong'], 16.4525, 107.6030, 'Cầu Lợi Nông, Phường An Cựu'),
  p(['cau ga', 'cầu ga'], 16.4580, 107.5775, 'Cầu Ga, Phường Thuận Hóa'),
  p(['cau vy da', 'cầu vỹ dạ', 'cau vi da'], 16.4700, 107.6010, 'Cầu Vỹ Dạ, Phường Vỹ Dạ'),
  // Schools
  p(['quoc hoc', 'quốc học', 'truong quoc hoc', 'trường quốc học'], 16.4627, 107.5885, 'Trường THPT chuyên Quốc Học, 12 Lê Lợi, Phường Thuận Hóa'),
  p(['truong hai ba trung', 'trường hai bà trưng', 'thpt hai ba trung'], 16.4640, 107.5870, 'Trường THPT Hai Bà Trưng, 14 Lê Lợi, Phường Thuận Hóa'),
  p(['dai hoc hue', 'đại học huế', 'dh hue', 'đh huế'], 16.4660, 107.5905, 'Đại học Huế, 3 Lê Lợi, Phường Thuận Hóa'),
  p(['dai hoc su pham', 'đại học sư phạm', 'dh su pham', 'đh sư phạm', 'su pham hue'], 16.4605, 107.5865, 'Trường Đại học Sư phạm, 34 Lê Lợi, Phường Thuận Hóa'),
  p(['dai hoc khoa hoc', 'đại học khoa học', 'dh khoa hoc', 'đh khoa học'], 16.4585, 107.5875, 'Trường Đại học Khoa học, 77 Nguyễn Huệ, Phường Thuận Hóa'),
  p(['dai hoc y duoc', 'đại học y dược', 'dh y duoc', 'đh y dược', 'y khoa hue'], 16.4610, 107.5935, 'Trường Đại học Y - Dược, 6 Ngô Quyền, Phường Thuận Hóa'),
  p(['dai hoc nong lam', 'đại học nông lâm', 'dh nong lam', 'đh nông lâm'], 16.4760, 107.5800, 'Trường Đại học Nông Lâm, 102 Phùng Hưng, Phường Phú Xuân'),
  p(['truong nguyen hue', 'trường nguyễn huệ', 'thpt nguyen hue'], 16.4600, 107.5880, 'Trường THPT Nguyễn Huệ, Phường Thuận Hóa'),
  // Hospitals
  p(['benh vien trung uong hue', 'bệnh viện trung ương huế', 'benh vien trung uong', 'bệnh viện trung ương', 'bv trung uong', 'bv trung ương', 'bvtw hue', 'bvtw'], 16.4620, 107.5925, 'Bệnh viện Trung ương Huế, 16 Lê Lợi, Phường Thuận Hóa'),
  p(['benh vien dai hoc y duoc', 'bệnh viện đại học y dược', 'bv dai hoc y duoc', 'bv đại học y dược', 'bv truong', 'bệnh viện trường'], 16.4590, 107.5915, 'Bệnh viện Trường Đại học Y - Dược, 41 Nguyễn Huệ, Phường Thuận Hóa'),
  p(['benh vien quoc te', 'bệnh viện quốc tế', 'bv quoc te', 'bv quốc tế'], 16.4615, 107.5940, 'Bệnh viện Quốc tế Trung ương Huế, 3 Ngô Quyền, Phường Thuận Hóa'),
  p(['benh vien mat', 'bệnh viện mắt', 'bv mat', 'bv mắt'], 16.4565, 107.6010, 'Bệnh viện Mắt Huế, Phường An Cựu'),
  p(['benh vien hoan my', 'bệnh viện hoàn mỹ', 'hoan my'], 16.4520, 107.6050, 'Bệnh viện Hoàn Mỹ Huế, Phường An Cựu'),
  // Ward offices
  ward(['ubnd phuong thuan hoa', 'ủy ban phường thuận hóa', 'phuong thuan hoa', 'phường thuận hóa', 'thuan hoa'], 16.4630, 107.5950, 'UBND phường Thuận Hóa'),
  ward(['ubnd phuong phu xuan', 'ủy ban phường phú xuân', 'phuong phu xuan', 'phường phú xuân', 'phu xuan'], 16.4720, 107.5800, 'UBND phường Phú Xuân'),
  ward(['ubnd phuong vy da', 'ủy ban phường vỹ dạ', 'phuong vy da', 'phường vỹ dạ', 'vy da', 'vỹ dạ', 'vi da'], 16.4690, 107.6050, 'UBND phường Vỹ Dạ'),
  ward(['ubnd phuong an cuu', 'ủy ban phường an cựu', 'phuong an cuu', 'phường an cựu', 'an cuu', 'an cựu'], 16.4520, 107.6000, 'UBND phường An Cựu'),
  ward(['ubnd phuong kim long', 'phuong kim long', 'phường kim long'], 16.4620, 107.5550, 'UBND phường Kim Long'),
  ward(['ubnd phuong thuy xuan', 'phuong thuy xuan', 'phường thủy xuân', 'thuy xuan', 'thủy xuân'], 16.4400, 107.5750, 'UBND phường Thủy Xuân'),
  ward(['ubnd phuong huong an', 'phuong huong an', 'phường hương an', 'huong an'], 16.4900, 107.5500, 'UBND phường Hương An'),
  ward(['ubnd phuong thuan an', 'phuong thuan an', 'phường thuận an', 'thuan an', 'bien thuan an', 'biển thuận an'], 16.5600, 107.6350, 'UBND phường Thuận An'),
  ward(['ubnd phuong phu bai', 'phuong phu bai', 'phường phú bài', 'phu bai'], 16.4000, 107.6900, 'UBND phường Phú Bài'),
  ward(['ubnd phuong huong thuy', 'phuong huong thuy', 'phường hương thủy', 'huong thuy'], 16.4150, 107.6400, 'UBND phường Hương Thủy'),
  ward(['ubnd phuong huong tra', 'phuong huong tra', 'phường hương trà', 'huong tra'], 16.5100, 107.5200, 'UBND phường Hương Trà'),
  ward(['ubnd phuong duong no', 'phuong duong no', 'phường dương nỗ', 'duong no'], 16.5050, 107.6200, 'UBND phường Dương Nỗ'),
  // Landmarks
  p(['chua thien mu', 'chùa thiên mụ', 'thien mu', 'thiên mụ'], 16.4536, 107.5445, 'Chùa Thiên Mụ, Phường Kim Long'),
  p(['ga hue', 'ga huế', 'nha ga', 'nhà ga', 'hue station'], 16.4564, 107.5776, 'Ga Huế, 2 Bùi Thị Xuân, Phường Thuận Hóa'),
  p(['ben xe phia bac', 'bến xe phía bắc'], 16.4835, 107.5695, 'Bến xe phía Bắc, Phường Hương An'),
  p(['ben xe phia nam', 'bến xe phía nam'], 16.4470, 107.6040, 'Bến xe phía Nam, Phường An Cựu'),
  p(['san bay phu bai', 'sân bay phú bài', 'san bay', 'sân bay', 'airport'], 16.4015, 107.7030, 'Cảng hàng không Phú Bài, Phường Phú Bài'),
  p(['vincom', 'vincom hue'], 16.4625, 107.5995, 'Vincom Plaza Huế, 50A Hùng Vương, Phường Thuận Hóa'),
  p(['big c', 'go hue', 'go! huế'], 16.4590, 107.6060, 'Siêu thị GO! Huế, Phường Thuận Hóa'),
  p(['nha tho phu cam', 'nhà thờ phủ cam', 'phu cam'], 16.4525, 107.5870, 'Nhà thờ Chính tòa Phủ Cam, Phường Thuận Hóa'),
  p(['dan nam giao', 'đàn nam giao', 'nam giao'], 16.4410, 107.5800, 'Đàn Nam Giao, Phường Thủy Xuân'),
  p(['con hen', 'cồn hến'], 16.4760, 107.5965, 'Cồn Hến, Phường Phú Xuân'),
  p(['cong vien thuong bac', 'công viên thương bạc', 'thuong bac'], 16.4715, 107.5905, 'Công viên Thương Bạc, Phường Phú Xuân'),
  p(['lang tu duc', 'lăng tự đức', 'tu duc'], 16.4335, 107.5650, 'Lăng Tự Đức, Phường Thủy Xuân'),
  p(['lang khai dinh', 'lăng khải định', 'khai dinh'], 16.3990, 107.5900, 'Lăng Khải Định, Phường Thủy Xuân'),
  p(['trung tam hanh chinh cong', 'trung tâm hành chính công', 'trung tam phuc vu hanh chinh cong', 'mot cua', 'một cửa'], 16.4660, 107.5935, 'Trung tâm Phục vụ hành chính công, 01 Lê Lai, Phường Thuận Hóa'),
  // Elsewhere in Việt Nam (outside the service area)
  away(['ben thanh', 'bến thành', 'cho ben thanh', 'chợ bến thành'], 10.7725, 106.698, 'Phường Bến Thành, Thành phố Hồ Chí Minh'),
  away(['ho chi minh', 'hồ chí minh', 'tp hcm', 'tphcm', 'hcm', 'sai gon', 'sài gòn', 'saigon'], 10.7769, 106.7009, 'Thành phố Hồ Chí Minh'),
  away(['ha noi city', 'thanh pho ha noi', 'thành phố hà nội', 'tp ha noi', 'hanoi', 'ho guom', 'hồ gươm', 'hoan kiem', 'hoàn kiếm'], 21.0285, 105.8542, 'Thành phố Hà Nội'),
  away(['da nang', 'đà nẵng', 'danang', 'cho han', 'chợ hàn', 'cau rong', 'cầu rồng'], 16.0471, 108.2068, 'Thành phố Đà Nẵng'),
  away(['hoi an', 'hội an'], 15.8801, 108.338, 'Hội An, Thành phố Đà Nẵng'),
  away(['dong ha', 'đông hà', 'quang tri', 'quảng trị'], 16.8163, 107.1003, 'Đông Hà, Tỉnh Quảng Trị'),
  away(['dong hoi', 'đồng hới', 'quang binh', 'quảng bình'], 17.4689, 106.6223, 'Đồng Hới, Tỉnh Quảng Trị'),
  away(['hai phong', 'hải phòng'], 20.8449, 106.6881, 'Thành phố Hải Phòng'),
  away(['can tho', 'cần thơ'], 10.0452, 105.7469, 'Thành phố Cần Thơ'),
  away(['nha trang', 'khanh hoa', 'khánh hòa'], 12.2388, 109.1967, 'Nha Trang, Tỉnh Khánh Hòa'),
  away(['da lat', 'đà lạt', 'lam dong', 'lâm đồng'], 11.9404, 108.4583, 'Đà Lạt, Tỉnh Lâm Đồng'),
  away(['thanh pho vinh', 'tp vinh', 'nghe an', 'nghệ an'], 18.6796, 105.6813, 'Vinh, Tỉnh Nghệ An'),
  away(['quy nhon', 'quy nhơn', 'binh dinh', 'bình định'], 13.782, 109.2196, 'Quy Nhơn, Tỉnh Gia Lai'),
  away(['tam ky', 'tam kỳ', 'quang nam', 'quảng nam'], 15.5736, 108.474, 'Tam Kỳ, Thành phố Đà Nẵng'),
  away(['quang ngai', 'quảng ngãi'], 15.1205, 108.7923, 'Tỉnh Quảng Ngãi'),
];

/** Entries whose names appear in `q` (word-bounded), the best first. */
function lookUp(places: readonly Place[], query: string): Place[] {
  const q = ` ${fold(query)} `;
  const scored: Array<{ place: Place; len: number }> = [];
  for (const place of places) {
    let len = 0;
    for (const n of place.names) {
      const f = fold(n);
      if (f.length > len && q.includes(` ${f} `)) len = f.length;
    }
    if (len > 0) scored.push({ place, len });
  }
  // A query naming another city is about that city ("12 Lê Lợi, Đà Nẵng"); otherwise a street or
  // place beats its ward ("12 Lê Lợi, phường Thuận Hóa"), and the longest name wins ("cầu Trường
  // Tiền" over "Trường Tiền").
  return scored
    .sort((a, b) => Number(!!b.place.elsewhere) - Number(!!a.place.elsewhere) || Number(!!a.place.ward) - Number(!!b.place.ward) || b.len - a.len)
    .map((s) => s.place);
}

export class FakeNominatim {
  private server: http.Server | undefined;
  readonly queries: string[] = [];

  constructor(private readonly places: readonly Place[] = HUE_GAZETTEER) {}

  get url(): string {
    const a = this.server?.address() as AddressInfo | undefined;
    if (!a) throw new Error('FakeNominatim is not started');
    return `http://127.0.0.1:${a.port}`;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const send = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (u.pathname === '/search') {
        const q = u.searchParams.get('q') ?? '';
        this.queries.push(fold(q));
        const hits = lookUp(this.places, q);
        return send(hits.map((p, i) => ({ place_id: i + 1, lat: String(p.lat), lon: String(p.lng), display_name: p.display, address: { road: p.display.split(',')[0], city: p.elsewhere ? p.display.split(',').at(-1)!.trim() : 'Huế', country: 'Việt Nam', country_code: 'vn' } })));
      }
      if (u.pathname === '/reverse') {
        const lat = Number(u.searchParams.get('lat'));
        const lng = Number(u.searchParams.get('lon'));
        let best: Place | undefined;
        let bestD = Infinity;
        for (const p of this.places) {
          const dd = (p.lat - lat) ** 2 + (p.lng - lng) ** 2;
          if (dd < bestD) {
            bestD = dd;
            best = p;
          }
        }
        if (!best || bestD > 0.0004) return send({ error: 'Unable to geocode' });
        return send({ place_id: 1, lat: String(lat), lon: String(lng), display_name: `Gần ${best.display}`, address: { road: best.display.split(',')[0], city: 'Huế', country: 'Việt Nam', country_code: 'vn' } });
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
