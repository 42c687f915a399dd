import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserLabel, deviceLabel, isLabelKey, langFromLocation, segmentLabel, t } from './i18n.ts';

test('?lang=en or #lang=en selects English; anything else Chinese', () => {
  assert.equal(langFromLocation({ search: '?lang=en', hash: '' }), 'en');
  assert.equal(langFromLocation({ search: '', hash: '#token=abc&lang=en' }), 'en');
  assert.equal(langFromLocation({ search: '?lang=fr', hash: '' }), 'zh');
  assert.equal(langFromLocation({ search: '', hash: '' }), 'zh');
});

test('labels in both languages, with placeholders filled', () => {
  assert.equal(t('zh', 'kpi.gmv'), '今日成交额');
  assert.equal(t('en', 'kpi.gmv'), 'GMV today');
  assert.equal(t('zh', 'note.synthetic', { orders: '3', gmv: '¥9.00' }), '含 3 笔淘宝导入订单，价格为合成（¥9.00）');
  assert.equal(t('en', 'note.synthetic', { orders: '3', gmv: '¥9.00' }), 'incl. 3 Taobao orders at synthetic prices (¥9.00)');
  assert.equal(isLabelKey('kpi.gmv'), true);
  assert.equal(isLabelKey('toString'), false);
});

test('segment, device and browser names', () => {
  assert.equal(segmentLabel('zh', { segment: '重要价值', key: 'important_value' }), '重要价值');
  assert.equal(segmentLabel('en', { segment: '重要价值', key: 'important_value' }), 'Important value');
  assert.equal(deviceLabel('zh', 'mobile'), '手机');
  assert.equal(deviceLabel('en', ''), 'Unknown');
  assert.equal(deviceLabel('en', 'smartwatch'), 'smartwatch');
  assert.equal(browserLabel('zh', 'other'), '其他');
  assert.equal(browserLabel('en', 'Chrome'), 'Chrome');
});
