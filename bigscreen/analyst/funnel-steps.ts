// The funnel editor's step list (pure): 2 to MAX_FUNNEL_STEPS distinct event
// types in order, as the API demands. Every operation returns a new list.
import { EVENT_TYPES } from '../../collector/contract/events.ts';
import { MAX_FUNNEL_STEPS, MIN_FUNNEL_STEPS } from '../../api/wire/params.ts';

export { EVENT_TYPES, MAX_FUNNEL_STEPS, MIN_FUNNEL_STEPS };
export type Steps = readonly string[];

export const DEFAULT_STEPS: Steps = ['product_view', 'cart_add', 'order_submit', 'order_pay'];

/** The types not used yet, in contract order. */
export function unusedTypes(steps: Steps): string[] {
  return EVENT_TYPES.filter((t) => !steps.includes(t));
}

/** Appends the first unused type; unchanged when full. */
export function addStep(steps: Steps): string[] {
  const next = unusedTypes(steps)[0];
  return steps.length >= MAX_FUNNEL_STEPS || next === undefined ? [...steps] : [...steps, next];
}

/** Removes step i; unchanged when that would leave fewer than the minimum. */
export function removeStep(steps: Steps, index: number): string[] {
  if (steps.length <= MIN_FUNNEL_STEPS || index < 0 || index >= steps.length) return [...steps];
  return steps.filter((_, i) => i !== index);
}

/** Moves step i by delta (−1 up, +1 down) when the target exists. */
export function moveStep(steps: Steps, index: number, delta: -1 | 1): string[] {
  const target = index + delta;
  if (index < 0 || index >= steps.length || target < 0 || target >= steps.length) return [...steps];
  const next = [...steps];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

/** Sets step i to type; a type already used elsewhere swaps places with it, so steps stay distinct. */
export function setStep(steps: Steps, index: number, type: string): string[] {
  if (index < 0 || index >= steps.length || !(EVENT_TYPES as readonly string[]).includes(type)) return [...steps];
  const next = [...steps];
  const other = next.indexOf(type);
  if (other !== -1) next[other] = next[index]!;
  next[index] = type;
  return next;
}

/** Why the API would refuse these steps, or null when it accepts them. */
export function stepsProblem(steps: Steps): string | null {
  if (steps.length < MIN_FUNNEL_STEPS || steps.length > MAX_FUNNEL_STEPS) return `${MIN_FUNNEL_STEPS}–${MAX_FUNNEL_STEPS} steps`;
  if (new Set(steps).size !== steps.length) return 'each event type at most once';
  return null;
}

/** "product_view,cart_add" ↔ steps, for the URL fragment; invalid text gives null. */
export function parseSteps(text: string | null): string[] | null {
  if (!text) return null;
  const steps = text.split(',').filter((t) => t !== '');
  const known = steps.every((t) => (EVENT_TYPES as readonly string[]).includes(t));
  return known && stepsProblem(steps) === null ? steps : null;
}
