// Province names: ip2region (the collector's enrichment) writes 广东省 but 北京,
// 上海, 广西, 内蒙古, 新疆, 西藏, 宁夏, 香港, 澳门 without their suffixes, while
// the map's GeoJSON (@esmjs/geo, DataV boundaries) names every feature in full
// (北京市, 广西壮族自治区, 香港特别行政区). Both are matched on the short name
// every form starts with.

/** [short name, GeoJSON feature name, English name], 34 province-level divisions. */
export const PROVINCES = [
  ['北京', '北京市', 'Beijing'],
  ['天津', '天津市', 'Tianjin'],
  ['河北', '河北省', 'Hebei'],
  ['山西', '山西省', 'Shanxi'],
  ['内蒙古', '内蒙古自治区', 'Inner Mongolia'],
  ['辽宁', '辽宁省', 'Liaoning'],
  ['吉林', '吉林省', 'Jilin'],
  ['黑龙江', '黑龙江省', 'Heilongjiang'],
  ['上海', '上海市', 'Shanghai'],
  ['江苏', '江苏省', 'Jiangsu'],
  ['浙江', '浙江省', 'Zhejiang'],
  ['安徽', '安徽省', 'Anhui'],
  ['福建', '福建省', 'Fujian'],
  ['江西', '江西省', 'Jiangxi'],
  ['山东', '山东省', 'Shandong'],
  ['河南', '河南省', 'Henan'],
  ['湖北', '湖北省', 'Hubei'],
  ['湖南', '湖南省', 'Hunan'],
  ['广东', '广东省', 'Guangdong'],
  ['广西', '广西壮族自治区', 'Guangxi'],
  ['海南', '海南省', 'Hainan'],
  ['重庆', '重庆市', 'Chongqing'],
  ['四川', '四川省', 'Sichuan'],
  ['贵州', '贵州省', 'Guizhou'],
  ['云南', '云南省', 'Yunnan'],
  ['西藏', '西藏自治区', 'Tibet'],
  ['陕西', '陕西省', 'Shaanxi'],
  ['甘肃', '甘肃省', 'Gansu'],
  ['青海', '青海省', 'Qinghai'],
  ['宁夏', '宁夏回族自治区', 'Ningxia'],
  ['新疆', '新疆维吾尔自治区', 'Xinjiang'],
  ['台湾', '台湾省', 'Taiwan'],
  ['香港', '香港特别行政区', 'Hong Kong'],
  ['澳门', '澳门特别行政区', 'Macao'],
] as const;

/** Short names, longest first so that a prefix test never stops at a shorter name. */
export const PROVINCE_SHORT_NAMES: string[] = PROVINCES.map(([short]) => short).sort((a, b) => b.length - a.length);

const fullByShort = new Map<string, string>(PROVINCES.map(([short, full]) => [short, full]));
const englishByFull = new Map<string, string>(PROVINCES.map(([, full, english]) => [full, english]));

/** Any form of a province name (广东, 广东省, 广西壮族自治区) → the GeoJSON name; '' when it is none. */
export function toGeoProvince(name: string): string {
  const trimmed = name.trim();
  const short = PROVINCE_SHORT_NAMES.find((s) => trimmed.startsWith(s));
  return short ? (fullByShort.get(short) ?? '') : '';
}

/** GeoJSON name → English name ('' when unknown). */
export function provinceEnglishName(geoName: string): string {
  return englishByFull.get(geoName) ?? '';
}

/** GeoJSON name → the short form for tight labels (广西壮族自治区 → 广西); the input when unknown. */
export function provinceShortName(geoName: string): string {
  return PROVINCES.find(([, full]) => full === geoName)?.[0] ?? geoName;
}
