import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of /proc's CPU times. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

type Stat = { parent: number; ticks: number; command: string };

/** A /proc `stat` line: parent pid, user + system CPU ticks, command (or thread) name. */
function parseStat(line: string): Stat {
  // After the name in parentheses (which may hold spaces): state, ppid, ... utime is the 14th field
  // of the line, stime the 15th.
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return {
    parent: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
    command: line.slice(line.indexOf('(') + 1, line.lastIndexOf(')')),
  };
}

/** The `stat` files under a /proc folder (processes, or a process's threads), by id. */
function statsIn(dir: string): Map<number, Stat> {
  const table = new Map<number, Stat>();
  for (const name of readdirSync(dir)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      table.set(Number(name), parseStat(readFileSync(`${dir}/${name}/stat`, 'utf8')));
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

const processTable = () => statsIn('/proc');

/** A process and its running descendants. */
function processTree(pid: number, table = processTable()): number[] {
  const tree: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop() as number;
    tree.push(current);
    for (const [child, { parent }] of table) if (parent === current) pending.push(child);
  }
  return tree;
}

/** The first child of `parent` whose command name matches, e.g. the browser a bench launched. */
export function childNamed(parent: number, name: RegExp): number {
  for (const [pid, stat] of processTable()) {
    if (stat.parent === parent && name.test(stat.command)) return pid;
  }
  throw new Error(`no child of ${parent} is called ${name}`);
}

const toMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;

/** CPU time used so far by a process, its threads and its running descendants, in ms. */
function treeCpuMs(pid: number): number {
  const table = processTable();
  return toMs(processTree(pid, table).reduce((sum, id) => sum + (table.get(id)?.ticks ?? 0), 0));
}

/**
 * CPU time used so far by the running threads of a Node process tree, in ms, by the threads' names
 * as Node sets them: the main thread, the worker threads, and the runtime's own (V8's compiler
 * and garbage collector, libuv's pool).
 */
function nodeThreadsCpuMs(pid: number): { main: number; workers: number; runtime: number } {
  const byKind = { main: 0, workers: 0, runtime: 0 };
  for (const id of processTree(pid)) {
    for (const { command, ticks } of statsIn(`/proc/${id}/task`).values()) {
      const kind =
        command === 'MainThread' ? 'main' : command === 'WorkerThread' ? 'workers' : 'runtime';
      byKind[kind] += toMs(ticks);
    }
  }
  return byKind;
}

/** Busy and total CPU ticks of the whole machine so far (all cores), from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** The share of the machine's CPU capacity that was busy between two readings. */
function busyShare(
  before: ReturnType<typeof machineTicks>,
  after: ReturnType<typeof machineTicks>,
): number {
  const total = after.total - before.total;
  return total > 0 ? Math.round(((after.busy - before.busy) / total) * 100) / 100 : 0;
}

/**
 * Starts measuring the CPU time of named process trees, of one Node process tree's threads by kind
 * (`nodeThreadsOf`), and of the machine; the returned function ends the stretch and shares each
 * time out over the deliveries handled in it.
 */
export function cpuMeter(trees: Record<string, number>, nodeThreadsOf: number) {
  const startedAt = Object.fromEntries(
    Object.entries(trees).map(([name, pid]) => [name, treeCpuMs(pid)]),
  );
  const threadsAtStart = nodeThreadsCpuMs(nodeThreadsOf);
  const machineBefore = machineTicks();
  const perDelivery = (ms: number, deliveries: number) =>
    Math.round((ms / deliveries) * 1000) / 1000;
  return (deliveries: number) => {
    const threadsNow = nodeThreadsCpuMs(nodeThreadsOf);
    return {
      msPerDelivery: Object.fromEntries(
        Object.entries(trees).map(([name, pid]) => [
          name,
          perDelivery(treeCpuMs(pid) - (startedAt[name] ?? 0), deliveries),
        ]),
      ),
      nodeThreadsMsPerDelivery: {
        main: perDelivery(threadsNow.main - threadsAtStart.main, deliveries),
        workers: perDelivery(threadsNow.workers - threadsAtStart.workers, deliveries),
        runtime: perDelivery(threadsNow.runtime - threadsAtStart.runtime, deliveries),
      },
      machineBusyShare: busyShare(machineBefore, machineTicks()),
    };
  };
}
