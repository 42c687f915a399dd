// Says what limited a figure, from the CPU each process used during the run.
import type { CpuWindow, ProcessCpu } from './proc.ts';

/** A thread at or above this share of one core is taken as saturated. */
export const SATURATED_THREAD = 0.85;
/** The machine is taken as saturated when this share of all cores is busy. */
export const SATURATED_MACHINE = 0.9;
/** A JavaScript thread at or above this share is "mostly busy": near its one core, not yet saturated. */
export const BUSY_THREAD = 0.6;
/** Other users of the machine above this many cores make a figure "contended". */
const CONTENDED_CORES = 0.3;

const f2 = (x: number) => x.toFixed(2);
const pct = (x: number) => `${Math.round(x * 100)}%`;

function describeProcess(p: ProcessCpu, kind: 'node' | 'jvm'): string {
  if (kind === 'node') return `${p.component} ${f2(p.cores)} (event loop ${f2(p.mainThreadCores)})`;
  const top = p.topThreads[0];
  return `${p.component} ${f2(p.cores)}${top ? ` (busiest thread ${top.thread} ${f2(top.cores)})` : ''}`;
}

export interface CpuReport {
  /** "collector 0.98 (event loop 0.93), load generator 0.61, …; machine 1.96 of 2 cores busy" */
  breakdown: string;
  /** the limit, in a sentence */
  verdict: string;
}

/**
 * `focus` is the process whose figure is measured; `jvms` names the Java
 * processes (their main thread is only the launcher, so their threads are
 * described instead of the event loop); `whenIdle` says what the process
 * waits on when its own CPU was not saturated.
 */
export function explainCpu(window: CpuWindow, focus: string, jvms: readonly string[] = [], whenIdle?: string): CpuReport {
  const kind = (name: string) => (jvms.includes(name) ? 'jvm' : 'node');
  const sorted = [...window.processes].sort((a, b) => b.cores - a.cores);
  const parts = sorted.map((p) => describeProcess(p, kind(p.component)));
  parts.push(`other processes ${f2(window.otherCores)}`);
  const breakdown = `${parts.join(', ')}; machine ${f2(window.machineBusyCores)} of ${window.machineCores} cores busy`;

  const target = window.processes.find((p) => p.component === focus);
  const ownSaturated: string[] = [];
  if (target && kind(focus) === 'node' && target.mainThreadCores >= SATURATED_THREAD) {
    ownSaturated.push(`CPU of the ${focus}'s JavaScript thread (${pct(target.mainThreadCores)} of one core)`);
  }
  const busiestThread = target?.topThreads[0];
  if (target && busiestThread && busiestThread.cores >= SATURATED_THREAD) {
    ownSaturated.push(`the ${focus}'s ${busiestThread.thread} thread (${pct(busiestThread.cores)} of one core)`);
  }
  const machineSaturated = window.machineBusyCores >= SATURATED_MACHINE * window.machineCores;
  const contended = window.otherCores >= CONTENDED_CORES;

  let verdict: string;
  if (ownSaturated.length > 0) {
    verdict = ownSaturated.join(' and ');
    if (machineSaturated) verdict += `, with all ${window.machineCores} cores of the machine busy`;
  } else if (machineSaturated) {
    const top = sorted
      .slice(0, 3)
      .map((p) => `${p.component} ${f2(p.cores)}`)
      .join(', ');
    verdict =
      `machine CPU: all ${window.machineCores} cores busy (${top}, other processes ${f2(window.otherCores)}), ` +
      `while the ${focus}'s own ${kind(focus) === 'node' ? `event loop was at ${pct(target?.mainThreadCores ?? 0)}` : `CPU was ${f2(target?.cores ?? 0)} cores`}` +
      (whenIdle ? `; besides CPU, ${whenIdle}` : '');
  } else if (target && kind(focus) === 'node' && target.mainThreadCores >= BUSY_THREAD) {
    verdict =
      `mostly CPU of the ${focus}'s JavaScript thread (busy ${pct(target.mainThreadCores)} of one core, ` +
      `${f2(window.machineBusyCores)} of ${window.machineCores} machine cores busy); the rest of the time ` +
      (whenIdle ?? 'it waited (I/O, timers)');
  } else {
    verdict =
      `not CPU-bound (${f2(window.machineBusyCores)} of ${window.machineCores} cores busy, no thread saturated): ` +
      (whenIdle ?? 'time is spent waiting (I/O, timers)');
  }
  if (contended) verdict += ` [contended: other processes on the machine used ${f2(window.otherCores)} cores]`;
  return { breakdown, verdict };
}

export interface EventCost {
  /** CPU time of the process' JavaScript thread per event, µs */
  eventLoopUsPerEvent: number;
  /** CPU time of the whole process per event, µs */
  processUsPerEvent: number;
  /** events/s at which the JavaScript thread would fill one core, at this cost */
  eventLoopCeilingPerS: number;
}

/**
 * CPU time per event: unlike throughput it hardly moves when other processes
 * take CPU, so it tells what the process would do with a core of its own.
 */
export function eventCost(window: CpuWindow, component: string, eventsPerS: number): EventCost | undefined {
  const p = window.processes.find((x) => x.component === component);
  if (!p || !(eventsPerS > 0)) return undefined;
  const eventLoopUsPerEvent = (p.mainThreadCores * 1e6) / eventsPerS;
  return {
    eventLoopUsPerEvent,
    processUsPerEvent: (p.cores * 1e6) / eventsPerS,
    eventLoopCeilingPerS: eventLoopUsPerEvent > 0 ? 1e6 / eventLoopUsPerEvent : NaN,
  };
}
