import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of /proc's CPU times. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** pid → [parent pid, user + system CPU ticks, command name] of every process now running. */
function processTable(): Map<number, [number, number, string]> {
  const table = new Map<number, [number, number, string]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command name in parentheses (which may hold spaces): state, ppid, ... utime is
      // the 14th field of the line, stime the 15th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      table.set(Number(name), [
        Number(fields[1]),
        Number(fields[11]) + Number(fields[12]),
        command,
      ]);
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** The first child of `parent` whose command name matches, e.g. the browser a bench launched. */
export function childNamed(parent: number, name: RegExp): number {
  for (const [pid, [ppid, , command]] of processTable()) {
    if (ppid === parent && name.test(command)) return pid;
  }
  throw new Error(`no child of ${parent} is called ${name}`);
}

/** CPU time used so far by a process, its threads and its running descendants, in ms. */
export function treeCpuMs(pid: number): number {
  const table = processTable();
  let ticks = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop() as number;
    ticks += table.get(current)?.[1] ?? 0;
    for (const [child, [parent]] of table) if (parent === current) pending.push(child);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Busy and total CPU ticks of the whole machine so far (all cores), from /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** The share of the machine's CPU capacity that was busy between two readings. */
export function busyShare(
  before: ReturnType<typeof machineTicks>,
  after: ReturnType<typeof machineTicks>,
): number {
  const total = after.total - before.total;
  return total > 0 ? Math.round(((after.busy - before.busy) / total) * 100) / 100 : 0;
}

/**
 * Starts measuring the CPU time of named process trees and of the machine; the returned function
 * ends the stretch and shares each tree's time out over the deliveries handled in it.
 */
export function cpuMeter(trees: Record<string, number>) {
  const startedAt = Object.fromEntries(
    Object.entries(trees).map(([name, pid]) => [name, treeCpuMs(pid)]),
  );
  const machineBefore = machineTicks();
  return (deliveries: number) => ({
    msPerDelivery: Object.fromEntries(
      Object.entries(trees).map(([name, pid]) => [
        name,
        Math.round(((treeCpuMs(pid) - (startedAt[name] ?? 0)) / deliveries) * 1000) / 1000,
      ]),
    ),
    machineBusyShare: busyShare(machineBefore, machineTicks()),
  });
}
