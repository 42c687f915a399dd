import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createIp2RegionSearch } from '../ip2region-search.ts';
import { lookupGeo, NO_GEO, type Geo, type RegionSearch } from './lookup-geo.ts';

const geo = (geo_country: string, geo_province = '', geo_city = ''): Geo => ({ geo_country, geo_province, geo_city });

// The real database that ships with ip2region: these are the answers its data gives.
describe('lookupGeo with the ip2region database', () => {
  const search = createIp2RegionSearch();
  const cases: Array<[string, Geo]> = [
    ['120.24.78.68', geo('中国', '广东省', '深圳市')],
    ['223.5.5.5', geo('中国', '浙江省', '杭州市')],
    ['114.114.114.114', geo('中国', '江苏省', '南京市')],
    ['183.192.0.1', geo('中国', '上海', '上海市')],
    ['::ffff:120.24.78.68', geo('中国', '广东省', '深圳市')],
    ['2400:3200::1', geo('中国', '浙江省', '杭州市')],
    ['202.45.84.58', geo('中国', '香港')],
    ['8.8.8.8', geo('美国')],
    ['2.16.0.1', geo('法国')], // ip2region puts 巴黎 in the province column: dropped outside China
    ['81.2.69.142', geo('英国')],
    ['2001:4860:4860::8888', NO_GEO], // "全球" anycast: no country
    ['127.0.0.1', NO_GEO],
    ['10.1.2.3', NO_GEO],
    ['192.168.1.1', NO_GEO],
    ['172.16.0.1', NO_GEO],
    ['100.64.1.1', NO_GEO],
    ['203.0.113.7', NO_GEO],
    ['::1', NO_GEO],
    ['fe80::1%eth0', NO_GEO],
    ['fd00::1', NO_GEO],
    ['::ffff:127.0.0.1', NO_GEO],
    ['not an address', NO_GEO],
    ['', NO_GEO],
  ];
  for (const [address, expected] of cases) {
    test(`${JSON.stringify(address)} → ${expected.geo_country || "''"} ${expected.geo_province} ${expected.geo_city}`.trimEnd(), () =>
      assert.deepEqual(lookupGeo(address, search), expected),
    );
  }
});

describe('lookupGeo cleans what the database says', () => {
  const answering = (region: ReturnType<RegionSearch>): RegionSearch => () => region;
  test("ip2region's 内网IP placeholder becomes ''", () => {
    assert.deepEqual(lookupGeo('1.2.3.4', answering({ country: '中国', province: '0', city: '内网IP' })), geo('中国'));
  });
  test('no answer → empty', () => assert.deepEqual(lookupGeo('1.2.3.4', answering(null)), NO_GEO));
  test('a throwing search → empty', () => {
    const throwing: RegionSearch = () => {
      throw new Error('index out of range');
    };
    assert.deepEqual(lookupGeo('1.2.3.4', throwing), NO_GEO);
  });
  test('names are cut to 64 characters', () => {
    assert.equal(lookupGeo('1.2.3.4', answering({ country: 'x'.repeat(100), province: '', city: '' })).geo_country.length, 64);
  });
});
