// ClickHouse answers 64-bit integers and decimals as JSON strings or numbers; these read either.

export const num = (value: unknown): number => (value === null || value === undefined || value === '' ? 0 : Number(value));

/** a / b, or 0 when b is 0; rounded to 4 decimals (ratios are shown as percentages). */
export const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

/** Money rounded to cents. */
export const money = (value: unknown): number => Math.round(num(value) * 100) / 100;
