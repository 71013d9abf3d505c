// What a measurement ran on: date, machine, load, tool versions and commit,
// so a table of figures can be read (and redone) later.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  verilator: string;
  commit: string;
  /** 1, 5 and 15 minute load averages when the run started and ended. */
  loadStart: number[];
  loadEnd?: number[];
}

const firstLine = (cmd: string, args: string[]): string => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n')[0] : 'unknown';
};

export function machineInfo(): MachineInfo {
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).stdout.trim() !== '';
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    verilator: firstLine('verilator', ['--version']),
    commit: `${firstLine('git', ['rev-parse', '--short', 'HEAD'])}${dirty ? ' (working tree modified)' : ''}`,
    loadStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function finishMachineInfo(info: MachineInfo): MachineInfo {
  return { ...info, loadEnd: loadavg().map((x) => Math.round(x * 100) / 100) };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.date} · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · Node ${m.node} · ${m.verilator} · commit ${m.commit} · load average ${m.loadStart.join(' ')}${m.loadEnd ? ` → ${m.loadEnd.join(' ')}` : ''}`;
}
