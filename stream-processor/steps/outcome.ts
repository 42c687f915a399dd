/** What a step makes of one input: a value, or a failure with its reason (which goes to failed events). */
export type Outcome<T> = { kind: 'ok'; value: T } | { kind: 'fail'; reason: string; detail: string };

export const ok = <T>(value: T): Outcome<T> => ({ kind: 'ok', value });
export const fail = <T = never>(reason: string, detail: string): Outcome<T> => ({ kind: 'fail', reason, detail });
