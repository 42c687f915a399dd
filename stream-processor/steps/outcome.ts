/** What a step makes of one input: a value, a counted drop, or a failure with its reason. */
export type Outcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'drop'; reason: string }
  | { kind: 'fail'; reason: string; detail: string };

export const ok = <T>(value: T): Outcome<T> => ({ kind: 'ok', value });
export const drop = <T = never>(reason: string): Outcome<T> => ({ kind: 'drop', reason });
export const fail = <T = never>(reason: string, detail: string): Outcome<T> => ({ kind: 'fail', reason, detail });
