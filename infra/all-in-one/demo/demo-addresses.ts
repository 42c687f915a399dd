// Public addresses the demo's simulated shoppers "come from", one per
// province, so the wall's map has something to show. Each was picked by
// looking random addresses up in the ip2region database the collector uses
// (so the collector resolves it to that province); the weights roughly follow
// where online shoppers are, heaviest on the coastal provinces.
import type { Random } from './generate-session.ts';

const ADDRESSES: ReadonlyArray<readonly [address: string, province: string, weight: number]> = [
  ['101.130.154.191', '广东省', 14],
  ['60.187.85.210', '浙江省', 10],
  ['49.74.64.61', '江苏省', 9],
  ['81.69.198.229', '上海', 7],
  ['203.192.16.250', '北京', 6],
  ['123.235.143.13', '山东省', 6],
  ['175.44.18.177', '福建省', 5],
  ['171.222.86.12', '四川省', 5],
  ['182.124.171.39', '河南省', 5],
  ['115.156.68.116', '湖北省', 4],
  ['58.44.168.113', '湖南省', 3],
  ['183.164.179.143', '安徽省', 3],
  ['120.5.97.234', '河北省', 3],
  ['221.178.20.245', '重庆', 3],
  ['113.140.140.60', '陕西省', 2],
  ['218.61.118.7', '辽宁省', 2],
  ['123.151.197.144', '天津', 2],
  ['202.101.235.11', '江西省', 2],
  ['117.140.242.63', '广西', 2],
  ['182.245.134.132', '云南省', 2],
  ['223.12.225.54', '山西省', 1],
  ['111.25.81.48', '吉林省', 1],
  ['222.32.183.246', '黑龙江省', 1],
  ['103.235.185.128', '贵州省', 1],
  ['122.76.187.104', '内蒙古', 1],
  ['210.37.39.216', '海南省', 1],
  ['27.227.59.239', '甘肃省', 1],
  ['106.124.215.88', '新疆', 1],
  ['182.54.27.11', '宁夏', 1],
  ['125.72.203.88', '青海省', 1],
  ['111.11.231.228', '西藏', 1],
  ['50.7.250.221', '香港', 1],
  ['163.17.226.159', '台湾省', 1],
];

const TOTAL_WEIGHT = ADDRESSES.reduce((sum, [, , w]) => sum + w, 0);

/** The province each demo address resolves to (tests check the collector agrees). */
export const DEMO_ADDRESS_PROVINCES: ReadonlyMap<string, string> = new Map(ADDRESSES.map(([a, p]) => [a, p]));

/** A demo shopper's address, drawn by weight. */
export function pickDemoAddress(random: Random): string {
  let r = random() * TOTAL_WEIGHT;
  for (const [address, , weight] of ADDRESSES) {
    r -= weight;
    if (r < 0) return address;
  }
  return ADDRESSES[0]![0];
}
