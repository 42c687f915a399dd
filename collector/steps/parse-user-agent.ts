import UAParser from 'ua-parser-js';

export interface UserAgentFacts {
  ua_browser: string;
  ua_os: string;
  /** desktop | mobile | tablet | other */
  ua_device: 'desktop' | 'mobile' | 'tablet' | 'other';
}

const MAX_NAME = 64; // the contract's maxLength for ua_browser / ua_os

/**
 * Browser, OS and device class from a user agent (ua-parser-js 1.x, MIT; 2.x
 * is AGPL). ua-parser reports no device type for desktops, so "no type but a
 * recognised browser or OS" is a desktop; consoles, TVs, wearables and
 * unrecognisable agents are "other".
 */
export function parseUserAgent(userAgent: string): UserAgentFacts {
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const ua_browser = (browser.name ?? '').slice(0, MAX_NAME);
  const ua_os = (os.name ?? '').slice(0, MAX_NAME);
  return { ua_browser, ua_os, ua_device: deviceClass(device.type, ua_browser !== '' || ua_os !== '') };
}

function deviceClass(type: string | undefined, recognised: boolean): UserAgentFacts['ua_device'] {
  if (type === 'mobile' || type === 'tablet') return type;
  if (type === undefined && recognised) return 'desktop';
  return 'other';
}
