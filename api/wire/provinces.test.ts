import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROVINCES, provinceEnglishName, provinceShortName, toGeoProvince } from './provinces.ts';

test('every ip2region form and every full name maps to the GeoJSON name', () => {
  // The forms the bundled ip2region database writes (strings in its region column).
  const cases: Array<[string, string]> = [
    ['广东省', '广东省'],
    ['北京', '北京市'],
    ['上海', '上海市'],
    ['天津', '天津市'],
    ['重庆', '重庆市'],
    ['广西', '广西壮族自治区'],
    ['内蒙古', '内蒙古自治区'],
    ['新疆', '新疆维吾尔自治区'],
    ['西藏', '西藏自治区'],
    ['宁夏', '宁夏回族自治区'],
    ['香港', '香港特别行政区'],
    ['澳门', '澳门特别行政区'],
    ['台湾省', '台湾省'],
    ['黑龙江省', '黑龙江省'],
    ['陕西省', '陕西省'],
    ['山西省', '山西省'],
    [' 广西壮族自治区 ', '广西壮族自治区'],
  ];
  for (const [input, geo] of cases) assert.equal(toGeoProvince(input), geo, input);
  for (const [, full] of PROVINCES) assert.equal(toGeoProvince(full), full);
});

test('anything else is not a province', () => {
  for (const input of ['', '0', '内网IP', '巴黎', 'Guangdong', '东京都']) assert.equal(toGeoProvince(input), '', input);
});

test('34 divisions with distinct names; short and English names', () => {
  assert.equal(PROVINCES.length, 34);
  assert.equal(new Set(PROVINCES.map(([, full]) => full)).size, 34);
  assert.equal(provinceShortName('广西壮族自治区'), '广西');
  assert.equal(provinceEnglishName('内蒙古自治区'), 'Inner Mongolia');
  assert.equal(provinceEnglishName('陕西省'), 'Shaanxi');
  assert.equal(provinceEnglishName('山西省'), 'Shanxi');
  assert.equal(provinceShortName('Atlantis'), 'Atlantis');
});
