import type { FormatName, ImportFormat } from './format.ts';
import { onlineRetailFormat } from './online-retail.ts';
import { rees46Format } from './rees46.ts';
import { taobaoFormat } from './taobao.ts';

export const FORMATS: Readonly<Record<FormatName, ImportFormat>> = Object.freeze({
  taobao: taobaoFormat,
  rees46: rees46Format,
  'online-retail': onlineRetailFormat,
});
