import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUserAgent, type UserAgentFacts } from './parse-user-agent.ts';

const cases: Array<[string, string, UserAgentFacts]> = [
  [
    'Chrome on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    { ua_browser: 'Chrome', ua_os: 'Windows', ua_device: 'desktop' },
  ],
  [
    'Safari on macOS',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    { ua_browser: 'Safari', ua_os: 'Mac OS', ua_device: 'desktop' },
  ],
  [
    'WeChat on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323b) NetType/WIFI Language/zh_CN',
    { ua_browser: 'WeChat', ua_os: 'iOS', ua_device: 'mobile' },
  ],
  [
    'Huawei Browser on HarmonyOS',
    'Mozilla/5.0 (Linux; Android 12; HarmonyOS; ALN-AL00; HMSCore 6.14.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.196 HuaweiBrowser/15.0.4.312 Mobile Safari/537.36',
    { ua_browser: 'Huawei Browser', ua_os: 'HarmonyOS', ua_device: 'mobile' },
  ],
  [
    'MIUI Browser on Android',
    'Mozilla/5.0 (Linux; U; Android 12; zh-cn; M2012K11AC Build/SKQ1.211006.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.127 Mobile Safari/537.36 XiaoMi/MiuiBrowser/17.1.80',
    { ua_browser: 'MIUI Browser', ua_os: 'Android', ua_device: 'mobile' },
  ],
  [
    'Safari on iPad',
    'Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1',
    { ua_browser: 'Mobile Safari', ua_os: 'iOS', ua_device: 'tablet' },
  ],
  [
    'a games console',
    'Mozilla/5.0 (PlayStation 5 3.11) AppleWebKit/605.1.15 (KHTML, like Gecko)',
    { ua_browser: 'WebKit', ua_os: 'PlayStation', ua_device: 'other' },
  ],
  [
    'a smart TV',
    'Mozilla/5.0 (Linux; Android 9; SHIELD Android TV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.136 Mobile Safari/537.36',
    { ua_browser: 'Chrome', ua_os: 'Android', ua_device: 'other' },
  ],
  ['an HTTP library', 'node', { ua_browser: '', ua_os: '', ua_device: 'other' }],
  ['no user agent', '', { ua_browser: '', ua_os: '', ua_device: 'other' }],
];

for (const [name, ua, expected] of cases) {
  test(`${name} → ${expected.ua_browser || '?'} / ${expected.ua_os || '?'} / ${expected.ua_device}`, () => {
    assert.deepEqual(parseUserAgent(ua), expected);
  });
}
