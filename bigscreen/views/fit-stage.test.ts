import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitStage, stageTransform } from './fit-stage.ts';

test('16:9 viewports scale without bars', () => {
  assert.deepEqual(fitStage(1920, 1080), { scale: 1, offsetXPx: 0, offsetYPx: 0 });
  assert.deepEqual(fitStage(1280, 720), { scale: 2 / 3, offsetXPx: 0, offsetYPx: 0 });
  assert.deepEqual(fitStage(3840, 2160), { scale: 2, offsetXPx: 0, offsetYPx: 0 });
});

test('other aspect ratios are letterboxed and centred', () => {
  assert.deepEqual(fitStage(1920, 1200), { scale: 1, offsetXPx: 0, offsetYPx: 60 });
  assert.deepEqual(fitStage(1080, 1080), { scale: 0.5625, offsetXPx: 0, offsetYPx: 236.25 });
  assert.deepEqual(fitStage(2560, 1080), { scale: 1, offsetXPx: 320, offsetYPx: 0 });
});

test('transform string', () => {
  assert.equal(stageTransform({ scale: 0.5, offsetXPx: 10, offsetYPx: 0 }), 'translate(10px, 0px) scale(0.5)');
});
