import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { REFERRER_SITES } from './referrer-sites.ts';
import { siteOfHost } from './classify-touch.ts';

describe('referrer table', () => {
  test('every source, host, app and alias appears once', () => {
    for (const key of ['source', 'hosts', 'apps', 'stems', 'aliases'] as const) {
      const all = REFERRER_SITES.flatMap((s) => {
        const v = s[key];
        return v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
      });
      assert.deepEqual(all.filter((v, i) => all.indexOf(v) !== i), [], key);
    }
  });

  test('every row is found by each of its hosts, their subdomains and its stems', () => {
    for (const site of REFERRER_SITES) {
      for (const host of site.hosts) {
        assert.equal(siteOfHost(host)?.source, site.source, host);
        assert.equal(siteOfHost(`m.${host}`)?.source, site.source, `m.${host}`);
      }
      for (const stem of site.stems ?? []) {
        for (const tld of ['com', 'co.uk', 'com.hk', 'de']) assert.equal(siteOfHost(`www.${stem}.${tld}`)?.source, site.source, `${stem}.${tld}`);
      }
      assert.ok(site.hosts.length > 0 || (site.stems ?? []).length > 0, `${site.source} has no host`);
      assert.match(site.source, /^[a-z0-9_]+$/);
      for (const alias of site.aliases ?? []) assert.equal(alias, alias.toLowerCase(), `${site.source} alias ${alias}`);
    }
  });

  test('the longest listed suffix wins, and a stem needs a country tail', () => {
    assert.equal(siteOfHost('tieba.baidu.com')?.source, 'baidu_tieba');
    assert.equal(siteOfHost('www.baidu.com')?.source, 'baidu');
    assert.equal(siteOfHost('so.toutiao.com')?.source, 'toutiao_search');
    assert.equal(siteOfHost('www.toutiao.com')?.source, 'toutiao');
    assert.equal(siteOfHost('mail.google.com')?.source, 'gmail');
    assert.equal(siteOfHost('mp.weixin.qq.com')?.source, 'wechat');
    assert.equal(siteOfHost('news.qq.com'), undefined, 'qq.com itself is a portal, not QQ');
    assert.equal(siteOfHost('googleusercontent.com'), undefined);
    assert.equal(siteOfHost('google.example.org'), undefined);
    assert.equal(siteOfHost('sm.cn.evil.com'), undefined);
  });

  test('the sites Chinese shops see are all in the table', () => {
    const hosts: Record<string, string> = {
      'www.baidu.com': 'baidu', 'm.sogou.com': 'sogou', 'www.so.com': '360', 'm.sm.cn': 'shenma', 'cn.bing.com': 'bing', 'www.google.com.hk': 'google',
      'mp.weixin.qq.com': 'wechat', 'weibo.com': 'weibo', 'www.douyin.com': 'douyin', 'www.xiaohongshu.com': 'xiaohongshu',
      'www.bilibili.com': 'bilibili', 'www.zhihu.com': 'zhihu', 'user.qzone.qq.com': 'qq', 'www.kuaishou.com': 'kuaishou',
      'item.taobao.com': 'taobao', 'detail.tmall.com': 'tmall', 'item.jd.com': 'jd', 'mobile.yangkeduo.com': 'pinduoduo',
    };
    for (const [host, source] of Object.entries(hosts)) assert.equal(siteOfHost(host)?.source, source, host);
  });
});
