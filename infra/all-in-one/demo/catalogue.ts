// The demo mall's product catalogue, shared by the traffic simulator and
// (duplicated by hand, a few items) the demo shop page in shop/products.js.
// Entries already have the contract's wire shape so they go into events as is.
// Prices are CNY decimal amounts, as the contract's Money fields expect.
// Within a category the best seller comes first: the simulator's popularity
// ranking reads that order.
import type { Product } from '../../../collector/contract/events.ts';


/** Category id → display name. */
export const CATEGORIES = {
  phone: '手机通讯',
  computer: '电脑办公',
  appliance: '家用电器',
  food: '食品生鲜',
  apparel: '服饰鞋包',
  beauty: '美妆个护',
  baby: '母婴玩具',
  home: '家居日用',
} as const;
export type CategoryId = keyof typeof CATEGORIES;

export type CatalogueProduct = Required<Pick<Product, 'id' | 'name' | 'brand' | 'price'>> & { category_id: CategoryId };

const item = (id: string, category_id: CategoryId, brand: string, name: string, price: number): CatalogueProduct => ({
  id,
  category_id,
  brand,
  name,
  price,
});

export const CATALOGUE: readonly CatalogueProduct[] = [
  item('p1001', 'phone', 'Apple', 'Apple iPhone 16 128G', 5999),
  item('p1002', 'phone', '华为', '华为 Mate 70 12+256G', 5499),
  item('p1003', 'phone', '小米', '小米 15 Pro 16+512G', 5299),
  item('p1004', 'phone', 'vivo', 'vivo X200 12+256G', 4299),
  item('p1005', 'phone', 'Apple', 'Apple AirPods Pro 2', 1799),
  item('p2001', 'computer', 'Apple', 'Apple MacBook Air 13 M3 16G', 7999),
  item('p2002', 'computer', '联想', '联想 拯救者 Y9000P 游戏本', 9999),
  item('p2003', 'computer', '华为', '华为 MateBook 14 轻薄本', 5999),
  item('p2004', 'computer', '罗技', '罗技 MX Master 3S 无线鼠标', 749),
  item('p2005', 'computer', '小米', '小米 27英寸 4K 显示器', 1299),
  item('p3001', 'appliance', '美的', '美的 变频空调 1.5匹 一级能效', 2799),
  item('p3002', 'appliance', '海尔', '海尔 十字对开门冰箱 500L', 4599),
  item('p3003', 'appliance', '戴森', '戴森 V12 无绳吸尘器', 4490),
  item('p3004', 'appliance', '九阳', '九阳 破壁豆浆机', 299),
  item('p3005', 'appliance', '格力', '格力 落地电风扇', 399),
  item('p4001', 'food', '三只松鼠', '三只松鼠 坚果礼盒 1.5kg', 129),
  item('p4002', 'food', '良品铺子', '良品铺子 零食大礼包', 99),
  item('p4003', 'food', '蒙牛', '蒙牛 特仑苏 纯牛奶 250ml×12盒', 59.9),
  item('p4004', 'food', '农夫山泉', '农夫山泉 饮用天然水 550ml×24瓶', 29.9),
  item('p4005', 'food', '十月稻田', '十月稻田 五常大米 5kg', 69.9),
  item('p5001', 'apparel', '优衣库', '优衣库 男装 轻型羽绒服', 499),
  item('p5002', 'apparel', '李宁', '李宁 超轻21 跑步鞋', 399),
  item('p5003', 'apparel', '安踏', '安踏 运动连帽卫衣', 259),
  item('p5004', 'apparel', 'Nike', 'Nike Air Force 1 板鞋', 799),
  item('p5005', 'apparel', '波司登', '波司登 鹅绒羽绒服 长款', 1299),
  item('p6001', 'beauty', '雅诗兰黛', '雅诗兰黛 小棕瓶精华 50ml', 710),
  item('p6002', 'beauty', '兰蔻', '兰蔻 小黑瓶精华 50ml', 1080),
  item('p6003', 'beauty', '完美日记', '完美日记 丝绒唇釉', 69.9),
  item('p6004', 'beauty', '飞利浦', '飞利浦 声波电动牙刷', 399),
  item('p6005', 'beauty', '欧莱雅', '欧莱雅 男士控油洁面', 59.9),
  item('p7001', 'baby', '花王', '花王 妙而舒 纸尿裤 L54片', 139),
  item('p7002', 'baby', '飞鹤', '飞鹤 星飞帆 婴幼儿奶粉 3段 700g', 298),
  item('p7003', 'baby', '乐高', '乐高 机械组 保时捷 911', 899),
  item('p7004', 'baby', '好孩子', '好孩子 轻便婴儿推车', 1299),
  item('p7005', 'baby', '贝亲', '贝亲 宽口径玻璃奶瓶 240ml', 89),
  item('p8001', 'home', '小米', '米家 扫拖机器人', 1999),
  item('p8002', 'home', '网易严选', '网易严选 乳胶枕', 199),
  item('p8003', 'home', '苏泊尔', '苏泊尔 不粘炒锅 32cm', 169),
  item('p8004', 'home', '维达', '维达 抽纸 3层100抽×24包', 49.9),
  item('p8005', 'home', '宜家', '宜家 LINNMON 书桌', 599),
];
