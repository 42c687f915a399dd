// What the benchmarks know about processes: start a child (TypeScript through
// tsx's loader in the same node process, so the pid we watch is the one doing
// the work), read CPU time and memory from /proc, and sample memory peaks.
// Linux only, like the machines the figures are taken on.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Kernel clock ticks per second for utime/stime in /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux). */
const CLOCK_TICKS_PER_S = 100;

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after graceMs; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Every child still running, so an interrupted run can stop them all (by pid, never by name). */
const running = new Set<Child>();

export function stopAllChildren(): Promise<void> {
  return Promise.all([...running].map((c) => c.stop(5_000))).then(() => undefined);
}

/** Last resort on process exit: SIGKILL whatever is left. */
export function killAllChildrenNow(): void {
  for (const c of running) c.proc.kill('SIGKILL');
}

export function spawnChild(
  name: string,
  command: string,
  args: string[],
  options: { logFile: string; env?: NodeJS.ProcessEnv; ipc?: boolean; cwd?: string },
): Child {
  const out = openSync(options.logFile, 'a');
  const proc = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: options.ipc ? ['ignore', out, out, 'ipc'] : ['ignore', out, out],
  });
  closeSync(out);
  if (proc.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const pid = proc.pid;
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let stopping: Promise<void> | undefined;
  const child: Child = {
    name,
    proc,
    pid,
    logFile: options.logFile,
    exited,
    stop: (graceMs = 10_000) =>
      (stopping ??= (async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })()),
  };
  running.add(child);
  void exited.then(() => running.delete(child));
  return child;
}

/** A TypeScript file run as `node --import tsx file.ts [json-args]`: one process, no tsx wrapper in between. */
export function spawnTsChild(
  name: string,
  file: string,
  options: { logFile: string; env?: NodeJS.ProcessEnv; ipc?: boolean; cwd?: string; arg?: unknown; nodeArgs?: string[] },
): Child {
  const args = [...(options.nodeArgs ?? []), '--import', 'tsx', file, ...(options.arg === undefined ? [] : [JSON.stringify(options.arg)])];
  return spawnChild(name, process.execPath, args, options);
}

/** Waits for the first IPC message of the given type from a child, or fails when it exits or the time is up. */
export function nextMessage<T extends { type: string }>(child: Child, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type) {
        cleanup();
        resolve(message as T);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`${child.name} exited (${code ?? signal}) before "${type}"; see ${child.logFile}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${child.name} sent no "${type}" within ${timeoutMs} ms; see ${child.logFile}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.proc.off('message', onMessage);
      child.proc.off('exit', onExit);
    };
    child.proc.on('message', onMessage);
    child.proc.once('exit', onExit);
  });
}

// ---------------------------------------------------------------- /proc

const readOr = (path: string, fallback: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
};

/** utime + stime in ticks from a /proc/…/stat line (comm may contain spaces and parentheses). */
function statTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is `state` (field 3 of proc(5)); utime and stime are fields 14 and 15.
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

export interface CpuSample {
  atMs: number;
  /** whole-process CPU time, ticks */
  ticks: number;
  /** per-thread CPU ticks keyed by `comm` (threads of the same name are summed); the main thread is `main` */
  threads: Map<string, number>;
}

export function sampleCpu(pid: number): CpuSample | undefined {
  const stat = readOr(`/proc/${pid}/stat`, '');
  if (!stat) return undefined;
  const threads = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    /* gone between the two reads */
  }
  for (const tid of tids) {
    const tstat = readOr(`/proc/${pid}/task/${tid}/stat`, '');
    if (!tstat) continue;
    const key = tid === String(pid) ? 'main' : readOr(`/proc/${pid}/task/${tid}/comm`, '?').trim().replace(/[0-9]+$/, '#');
    threads.set(key, (threads.get(key) ?? 0) + statTicks(tstat));
  }
  return { atMs: Date.now(), ticks: statTicks(stat), threads };
}

export interface MachineCpuSample {
  atMs: number;
  busyTicks: number;
  totalTicks: number;
}

export function sampleMachineCpu(): MachineCpuSample {
  const line = readOr('/proc/stat', 'cpu 0 0 0 0').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
  return { atMs: Date.now(), busyTicks: total - idle, totalTicks: total };
}

export const cpuCount = (): number => cpus().length;

/** Resident set now (VmRSS) and the kernel's high-water mark (VmHWM), in MiB. */
export function readMemory(pid: number): { rssMb: number; hwmMb: number } | undefined {
  const status = readOr(`/proc/${pid}/status`, '');
  if (!status) return undefined;
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

export const isRunning = (pid: number): boolean => existsSync(`/proc/${pid}`);

// ---------------------------------------------------------------- CPU windows

export interface ProcessCpu {
  component: string;
  /** CPU time over the window ÷ wall time: 1.0 = one core busy all along */
  cores: number;
  /** the process' main thread alone (the JS event loop for node, `main` for a JVM launcher) */
  mainThreadCores: number;
  /** the busiest other threads, by name */
  topThreads: Array<{ thread: string; cores: number }>;
}

export interface CpuWindow {
  wallMs: number;
  processes: ProcessCpu[];
  /** all CPUs of the machine, busy cores (user+system+irq+steal…) */
  machineBusyCores: number;
  machineCores: number;
  /** busy cores not accounted for by the processes we watch: other users of the machine */
  otherCores: number;
}

/**
 * Measures CPU use of named processes over a stretch of time:
 * `const w = startCpuWindow(pids); …work…; const result = w.end();`
 * Processes are re-read every 250 ms so one that exits before end() (a tool
 * that stops by itself) is still counted up to its last reading.
 */
export function startCpuWindow(components: Record<string, number>): { end(): CpuWindow } {
  const start = new Map(Object.entries(components).map(([name, pid]) => [name, sampleCpu(pid)]));
  const latest = new Map(start);
  const refresh = () => {
    for (const [name, pid] of Object.entries(components)) {
      const sample = sampleCpu(pid);
      if (sample) latest.set(name, sample);
    }
  };
  const timer = setInterval(refresh, 250);
  timer.unref();
  const machineStart = sampleMachineCpu();
  return {
    end() {
      clearInterval(timer);
      refresh();
      const machineEnd = sampleMachineCpu();
      const wallMs = Math.max(1, machineEnd.atMs - machineStart.atMs);
      const wallTicks = (wallMs / 1000) * CLOCK_TICKS_PER_S;
      const processes: ProcessCpu[] = [];
      for (const component of Object.keys(components)) {
        const a = start.get(component);
        const b = latest.get(component);
        if (!a || !b) continue;
        const threads: Array<{ thread: string; cores: number }> = [];
        for (const [thread, ticks] of b.threads) {
          if (thread === 'main') continue;
          threads.push({ thread, cores: (ticks - (a.threads.get(thread) ?? 0)) / wallTicks });
        }
        threads.sort((x, y) => y.cores - x.cores);
        processes.push({
          component,
          cores: (b.ticks - a.ticks) / wallTicks,
          mainThreadCores: ((b.threads.get('main') ?? 0) - (a.threads.get('main') ?? 0)) / wallTicks,
          topThreads: threads.filter((t) => t.cores >= 0.02).slice(0, 4),
        });
      }
      const machineCores = cpuCount();
      const spanTicks = Math.max(1, machineEnd.totalTicks - machineStart.totalTicks);
      const machineBusyCores = ((machineEnd.busyTicks - machineStart.busyTicks) / spanTicks) * machineCores;
      const ours = processes.reduce((sum, p) => sum + p.cores, 0);
      return { wallMs, processes, machineBusyCores, machineCores, otherCores: Math.max(0, machineBusyCores - ours) };
    },
  };
}

// ---------------------------------------------------------------- memory peaks

/**
 * Samples VmRSS of every watched process every `everyMs` and keeps the peak
 * per component. A process that lives only for this benchmark is watched with
 * `exact: true`: its VmHWM, the kernel's own peak, is folded in at every sample
 * and when it is unwatched (just before it is stopped), so no short spike
 * between samples is missed. Processes that outlive the benchmark (the broker, the benchmark
 * process itself) keep the sampled peak, as their VmHWM covers earlier work.
 */
export function createMemorySampler(everyMs = 200) {
  const watched = new Map<string, { pid: number; exact: boolean }>();
  const peaks = new Map<string, number>();
  const note = (component: string, mb: number) => peaks.set(component, Math.max(peaks.get(component) ?? 0, mb));
  const sampleAll = () => {
    for (const [component, { pid, exact }] of watched) {
      const mem = readMemory(pid);
      if (mem) note(component, exact ? Math.max(mem.rssMb, mem.hwmMb) : mem.rssMb);
    }
  };
  const timer = setInterval(sampleAll, everyMs);
  timer.unref();
  return {
    watch(component: string, pid: number, exact: boolean) {
      watched.set(component, { pid, exact });
      sampleAll();
    },
    unwatch(component: string) {
      const entry = watched.get(component);
      if (!entry) return;
      const mem = readMemory(entry.pid);
      if (mem) note(component, entry.exact ? Math.max(mem.rssMb, mem.hwmMb) : mem.rssMb);
      watched.delete(component);
    },
    /** Stops sampling; returns the peak per component in MiB. */
    stop(): Map<string, number> {
      for (const component of [...watched.keys()]) this.unwatch(component);
      clearInterval(timer);
      return new Map(peaks);
    },
  };
}
export type MemorySampler = ReturnType<typeof createMemorySampler>;
